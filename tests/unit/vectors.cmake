# The protocol test vectors (tests/vectors/, issue 13): re-derived from their own events by the
# reference fold, so a change of ids, order, fold or state-hash encoding fails here.
constellation_add_test(NAME vectors_test LABEL unit
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/vectors_test.cc
  LIBS constellation_vectors)
target_compile_definitions(vectors_test PRIVATE
  CONSTELLATION_VECTORS_DIR="${PROJECT_SOURCE_DIR}/tests/vectors")
