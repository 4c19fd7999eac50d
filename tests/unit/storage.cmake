# storage unit tests (server/storage).
constellation_add_test(NAME store_contract_test LABEL unit
  SOURCES store_contract_test.cc
  LIBS constellation_storage constellation_testing)
constellation_add_test(NAME rocks_store_test LABEL unit
  SOURCES rocks_store_test.cc
  LIBS constellation_storage constellation_testing RocksDB::rocksdb-shared)
constellation_add_test(NAME memory_store_test LABEL unit
  SOURCES memory_store_test.cc
  LIBS constellation_storage constellation_testing)
constellation_add_test(NAME key_codec_test LABEL unit
  SOURCES key_codec_test.cc
  LIBS constellation_storage constellation_testing)
constellation_add_test(NAME event_store_test LABEL unit
  SOURCES event_store_test.cc
  LIBS constellation_storage constellation_testing constellation_event_factory)
constellation_add_test(NAME backup_test LABEL unit
  SOURCES backup_test.cc
  LIBS constellation_storage constellation_testing)
