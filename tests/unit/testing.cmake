# unit tests of the shared test helpers (tests/testing): the TCP proxy the cluster tests use
constellation_add_test(NAME tcp_proxy_test LABEL unit
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tcp_proxy_test.cc
  LIBS constellation_testing absl::str_format Threads::Threads)
