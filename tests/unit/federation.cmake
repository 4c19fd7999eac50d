# federation unit tests (node-to-node call authentication)
constellation_add_test(NAME federation_auth_test LABEL unit
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/federation_auth_test.cc
  LIBS constellation_core constellation_testing)
# replication inputs in server/app (peer targets, the [replication] config section)
constellation_add_test(NAME replication_config_test LABEL unit
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/replication_config_test.cc
  LIBS constellation_app constellation_testing constellation_event_factory)
# constellationd's strict config file (unknown keys and wrong types named with their line) and
# the [tls] options (server/rpc/tls.h)
constellation_add_test(NAME node_config_test LABEL unit
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/node_config_test.cc
  LIBS constellation_app constellation_testing)
# the node's logs: JSON and text lines, the request context, the request-id rule (issue 12)
constellation_add_test(NAME node_logs_test LABEL unit
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/node_logs_test.cc
  LIBS constellation_app constellation_testing)
