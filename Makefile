# Build targets for `sam build` (BuildMethod: makefile). SAM runs these from the repository
# root (WorkingDirectory: . in the template) with ARTIFACTS_DIR set to the function's output.
# The Maven reactor builds the function with its sibling modules; tests run separately via
# the README's test command.

MVNW := ./mvnw
FUNCTIONS := message-api user-batch maintenance attachment-ingest authorizer

# A function's zip is rebuilt only when a file it is built from is newer than the zip: after
# ./mvnw verify (which CI runs first) `sam build` unpacks the zips that verify built and tested
# instead of building them all again. -DskipTests: the tests run in the README's test command.
define function_zip
functions/$(1)/target/$(1).zip: pom.xml .mvn/maven.config $$(shell find build-support shared/pom.xml shared/src/main \
		functions/$(1)/pom.xml functions/$(1)/proguard.pro functions/$(1)/src/main -type f)
	$$(MVNW) -q -pl functions/$(1) -am package -DskipTests
endef
$(foreach function,$(FUNCTIONS),$(eval $(call function_zip,$(function))))

build-MessageApiFunction: functions/message-api/target/message-api.zip
	cd "$(ARTIFACTS_DIR)" && jar xf "$(CURDIR)/$<"

build-UserBatchFunction: functions/user-batch/target/user-batch.zip
	cd "$(ARTIFACTS_DIR)" && jar xf "$(CURDIR)/$<"

build-MaintenanceFunction: functions/maintenance/target/maintenance.zip
	cd "$(ARTIFACTS_DIR)" && jar xf "$(CURDIR)/$<"

build-AttachmentIngestFunction: functions/attachment-ingest/target/attachment-ingest.zip
	cd "$(ARTIFACTS_DIR)" && jar xf "$(CURDIR)/$<"

build-AuthorizerFunction: functions/authorizer/target/authorizer.zip
	cd "$(ARTIFACTS_DIR)" && jar xf "$(CURDIR)/$<"

.PHONY: build-MessageApiFunction build-UserBatchFunction build-MaintenanceFunction build-AttachmentIngestFunction \
	build-AuthorizerFunction
