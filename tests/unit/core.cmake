# core unit tests (server/core), one per module, plus the fold property test (DESIGN §3).

# Signed events for tests: keys from fixed seeds, record bodies, chains of one group.
# Reusable by integration and simulation tests.
add_library(constellation_event_factory STATIC
  ${PROJECT_SOURCE_DIR}/tests/testing/event_factory.cc
  ${PROJECT_SOURCE_DIR}/tests/testing/pooled_events.cc
  ${PROJECT_SOURCE_DIR}/tests/testing/convening_events.cc
  ${PROJECT_SOURCE_DIR}/tests/testing/team_events.cc)
target_link_libraries(constellation_event_factory PUBLIC constellation_core constellation_testing)

foreach(name
    ids_test
    crypto_test
    hlc_test
    codec_test
    records_test
    dag_test
    persistent_map_test
    decisions_test
    membership_test
    governance_property_test
    group_state_test
    fundraising_ledger_test
    fundraising_schedule_test
    money_worked_example_test
    node_state_test
    fold_property_test
    pending_test
    fork_test
    sync_test
    acknowledgement_test
    causal_membership_test
    charter_amendment_test
    state_hash_vector_test
    fold_checkpoint_test
    state_hash_at_test
    pooled_ledger_test
    pooled_property_test
    convenings_ledger_test
    teams_ledger_test
    health_test
    strategy_ledger_test
    measurement_ledger_test
    periods_test
    obligations_test)
  constellation_add_test(NAME ${name} LABEL unit
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/${name}.cc
    LIBS constellation_core constellation_testing constellation_event_factory)
endforeach()

# docs/PROTOCOL.md Appendix A (the limits table) against server/base/limits.h (issue 13).
constellation_add_test(NAME limits_spec_test LABEL unit
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/limits_spec_test.cc)
target_compile_definitions(limits_spec_test PRIVATE
  CONSTELLATION_PROTOCOL_MD="${PROJECT_SOURCE_DIR}/docs/PROTOCOL.md"
  CONSTELLATION_LIMITS_H="${PROJECT_SOURCE_DIR}/server/base/limits.h")
target_include_directories(limits_spec_test PRIVATE ${PROJECT_SOURCE_DIR})
