# Build targets for `sam build` (BuildMethod: makefile). SAM runs these from the repository
# root (WorkingDirectory: . in the template) with ARTIFACTS_DIR set to the function's output.
# The Maven reactor builds the function with its sibling modules; tests run separately via
# the README's test command.

MVNW := ./mvnw

build-MessageApiFunction:
	$(MVNW) -q -pl functions/message-api -am package -DskipTests
	cd "$(ARTIFACTS_DIR)" && jar xf "$(CURDIR)/functions/message-api/target/message-api.zip"

.PHONY: build-MessageApiFunction
