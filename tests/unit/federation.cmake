# federation unit tests (node-to-node call authentication)
constellation_add_test(NAME federation_auth_test LABEL unit
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/federation_auth_test.cc
  LIBS constellation_core constellation_testing)
# replication inputs in server/app (peer targets, the [replication] config section)
constellation_add_test(NAME replication_config_test LABEL unit
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/replication_config_test.cc
  LIBS constellation_app constellation_testing constellation_event_factory)
