# core unit tests (server/core), one per module, plus the fold property test (DESIGN §3).

# Signed events for tests: keys from fixed seeds, record bodies, chains of one group.
# Reusable by integration and simulation tests.
add_library(constellation_event_factory STATIC
  ${PROJECT_SOURCE_DIR}/tests/testing/event_factory.cc
  ${PROJECT_SOURCE_DIR}/tests/testing/pooled_events.cc)
target_link_libraries(constellation_event_factory PUBLIC constellation_core constellation_testing)

foreach(name
    ids_test
    crypto_test
    hlc_test
    codec_test
    records_test
    dag_test
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
    state_hash_vector_test
    fold_checkpoint_test
    pooled_ledger_test
    pooled_property_test)
  constellation_add_test(NAME ${name} LABEL unit
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/${name}.cc
    LIBS constellation_core constellation_testing constellation_event_factory)
endforeach()
