# rpc unit tests: the edge's pure steps (no server; integration tests run the services).
constellation_add_test(NAME rpc_write_test LABEL unit
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/rpc_write_test.cc
  LIBS constellation_rpc constellation_testing)
