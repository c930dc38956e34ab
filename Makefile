# Build targets for `sam build` (BuildMethod: makefile). SAM runs these from the repository
# root (WorkingDirectory: . in the template) with ARTIFACTS_DIR set to the function's output.
# The Maven reactor builds the function with its sibling modules; tests run separately via
# the README's test command.

MVNW := ./mvnw

# -DskipTests (every target below): a target only packages the artifact `sam build` deploys;
# the tests run in the README's test command (./mvnw verify), which CI runs before `sam build`.
build-MessageApiFunction:
	$(MVNW) -q -pl functions/message-api -am package -DskipTests
	cd "$(ARTIFACTS_DIR)" && jar xf "$(CURDIR)/functions/message-api/target/message-api.zip"

build-UserBatchFunction:
	$(MVNW) -q -pl functions/user-batch -am package -DskipTests
	cd "$(ARTIFACTS_DIR)" && jar xf "$(CURDIR)/functions/user-batch/target/user-batch.zip"

build-MaintenanceFunction:
	$(MVNW) -q -pl functions/maintenance -am package -DskipTests
	cd "$(ARTIFACTS_DIR)" && jar xf "$(CURDIR)/functions/maintenance/target/maintenance.zip"

build-AttachmentIngestFunction:
	$(MVNW) -q -pl functions/attachment-ingest -am package -DskipTests
	cd "$(ARTIFACTS_DIR)" && jar xf "$(CURDIR)/functions/attachment-ingest/target/attachment-ingest.zip"

build-AuthorizerFunction:
	$(MVNW) -q -pl functions/authorizer -am package -DskipTests
	cd "$(ARTIFACTS_DIR)" && jar xf "$(CURDIR)/functions/authorizer/target/authorizer.zip"

.PHONY: build-MessageApiFunction build-UserBatchFunction build-MaintenanceFunction build-AttachmentIngestFunction \
	build-AuthorizerFunction
