# deploy/packaging.cmake: what `cmake --install` adds beyond the binaries and the SDK, and the
# Debian packages CPack builds from the three install components:
#   constellation-node  (component node) constellationd, its systemd unit, a sample config,
#                       a system user `constellation` and /var/lib/constellation (postinst)
#   constellation-cli   (component cli)  the constellation command
#   libconstellation-dev (component sdk) headers, static libraries, CMake package, pkg-config
# Build them after a build:  cpack -G DEB --config build/CPackConfig.cmake -B packages
# Every destination is relative to the install prefix, so `cmake --install --prefix DIR`
# never writes outside DIR.

install(FILES ${PROJECT_SOURCE_DIR}/deploy/systemd/constellationd.service
  DESTINATION lib/systemd/system COMPONENT node)
install(FILES ${PROJECT_SOURCE_DIR}/deploy/config/constellationd.toml
              ${PROJECT_SOURCE_DIR}/docs/OPERATIONS.md
  DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/constellation-node COMPONENT node)

set(CPACK_PACKAGE_NAME constellation)
set(CPACK_PACKAGE_VENDOR "Constellation")
set(CPACK_PACKAGE_CONTACT "Constellation maintainers <maintainers@constellation.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
  "Coordination system for partnerships of autonomous organisations")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_COMPONENTS_ALL node cli sdk)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
# Runtime dependencies of the binaries from dpkg-shlibdeps (their real shared libraries).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)

set(CPACK_DEBIAN_NODE_PACKAGE_NAME constellation-node)
set(CPACK_COMPONENT_NODE_DESCRIPTION
  "Constellation node (constellationd): one per member organisation")
set(CPACK_DEBIAN_NODE_PACKAGE_DEPENDS adduser)
set(CPACK_DEBIAN_NODE_PACKAGE_CONTROL_EXTRA ${PROJECT_SOURCE_DIR}/deploy/debian/postinst)
set(CPACK_DEBIAN_NODE_PACKAGE_CONTROL_STRICT_PERMISSION ON)

set(CPACK_DEBIAN_CLI_PACKAGE_NAME constellation-cli)
set(CPACK_COMPONENT_CLI_DESCRIPTION "Constellation command-line client (constellation)")

set(CPACK_DEBIAN_SDK_PACKAGE_NAME libconstellation-dev)
set(CPACK_DEBIAN_SDK_PACKAGE_SECTION libdevel)
set(CPACK_COMPONENT_SDK_DESCRIPTION
  "Constellation C++ SDK: find_package(Constellation) or pkg-config constellation")
# Static libraries: what an integrator links them with.
set(CPACK_DEBIAN_SDK_PACKAGE_DEPENDS "libgrpc++-dev, libprotobuf-dev, libabsl-dev")
set(CPACK_DEBIAN_SDK_PACKAGE_SHLIBDEPS OFF)

include(CPack)
