# metrics unit tests (server/metrics): the registry's text exposition.
constellation_add_test(NAME metrics_registry_test LABEL unit
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/metrics_registry_test.cc
  LIBS constellation_metrics Threads::Threads)
