# rpc unit tests: the edge's pure steps (no server; integration tests run the services).
constellation_add_test(NAME rpc_write_test LABEL unit
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/rpc_write_test.cc
  LIBS constellation_rpc constellation_testing)
constellation_add_test(NAME fundraising_views_test LABEL unit
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/fundraising_views_test.cc
  LIBS constellation_rpc constellation_testing constellation_event_factory)
constellation_add_test(NAME pledge_terms_test LABEL unit
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/pledge_terms_test.cc
  LIBS constellation_rpc constellation_testing)
