# federation unit tests (node-to-node call authentication)
constellation_add_test(NAME federation_auth_test LABEL unit
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/federation_auth_test.cc
  LIBS constellation_core constellation_testing)
