# client unit tests: SDK (money, client without a server) and CLI (args, exit codes, output).
# None needs a running node; integration/e2e tests cover the SDK and CLI against constellationd.
constellation_add_test(NAME money_test LABEL unit
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/money_test.cc
  LIBS constellation_sdk constellation_testing)
constellation_add_test(NAME sdk_client_test LABEL unit
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/sdk_client_test.cc
  # constellation_proto and gRPC for the in-process fake node only.
  LIBS constellation_sdk constellation_proto gRPC::grpc++ absl::synchronization
       constellation_testing)
constellation_add_test(NAME cli_args_test LABEL unit
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/cli_args_test.cc
  LIBS constellation_cli_lib constellation_testing)
constellation_add_test(NAME exit_code_test LABEL unit
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/exit_code_test.cc
  LIBS constellation_cli_lib constellation_testing)
constellation_add_test(NAME cli_output_test LABEL unit
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/cli_output_test.cc
  LIBS constellation_cli_lib constellation_testing)
constellation_add_test(NAME cli_strategy_test LABEL unit
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/cli_strategy_test.cc
  LIBS constellation_cli_lib constellation_testing)
constellation_add_test(NAME sdk_org_card_test LABEL unit
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/sdk_org_card_test.cc
  LIBS constellation_sdk constellation_testing)
constellation_add_test(NAME sdk_governance_test LABEL unit
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/sdk_governance_test.cc
  # constellation_proto and gRPC for the in-process fake node only.
  LIBS constellation_sdk constellation_proto gRPC::grpc++ absl::synchronization
       constellation_testing)
constellation_add_test(NAME cli_governance_test LABEL unit
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/cli_governance_test.cc
  LIBS constellation_cli_lib constellation_testing)
constellation_add_test(NAME cli_ids_test LABEL unit
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/cli_ids_test.cc
  LIBS constellation_cli_lib constellation_testing)
constellation_add_test(NAME cli_people_test LABEL unit
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/cli_people_test.cc
  LIBS constellation_cli_lib constellation_testing)
# Audit bundles (cli/audit/): the line format, and the offline verifier against the protocol's
# test vectors and changed bundles.
constellation_add_test(NAME audit_bundle_test LABEL unit
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/audit_bundle_test.cc
  LIBS constellation_cli_lib constellation_testing nlohmann_json::nlohmann_json)
target_compile_definitions(audit_bundle_test PRIVATE
  CONSTELLATION_VECTORS_DIR="${PROJECT_SOURCE_DIR}/tests/vectors")
