# Installation (docs/packaging.md): headers, the static library (libsign.a) and a shared library with a
# versioned SONAME (libsign.so.N) exporting the public API only, the command, a CMake package
# (find_package(libsign CONFIG) -> libsign::libsign), libsign.pc and the Python module. The CPack .deb
# packages (cmake/cpack.cmake) are these install components.

include(${CMAKE_CURRENT_LIST_DIR}/install_dirs.cmake)
include(CMakePackageConfigHelpers)

# The ABI version, independent of the release number: bumped whenever a release changes the ABI of the
# public headers (a field added to a public struct counts), never otherwise.
set(LIBSIGN_SOVERSION 0)

# Only what the public headers mark LIBSIGN_API (libsign/export.hpp) is exported from the shared library.
# The objects are shared with the static library, the command, the tests and the Python module, which
# link them statically: hidden visibility changes nothing for them.
set_target_properties(libsign_objects PROPERTIES CXX_VISIBILITY_PRESET hidden VISIBILITY_INLINES_HIDDEN ON)

# No shared library in the sanitizer and fuzzing builds: nothing there installs or packages it.
if(LIBSIGN_SANITIZE OR LIBSIGN_TSAN OR LIBSIGN_FUZZ)
  set(LIBSIGN_SHARED_DEFAULT OFF)
else()
  set(LIBSIGN_SHARED_DEFAULT ON)
endif()
option(LIBSIGN_SHARED "Build and install the shared library libsign.so" ${LIBSIGN_SHARED_DEFAULT})

set(LIBSIGN_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/libsign)
# Installed as libsign::libsign_static (the same archive the tests link as libsign_core).
set_target_properties(libsign_core PROPERTIES EXPORT_NAME libsign_static)
install(TARGETS libsign_core EXPORT libsignTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT dev
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

if(LIBSIGN_SHARED)
  add_library(libsign_shared SHARED $<TARGET_OBJECTS:libsign_objects>)
  set_target_properties(libsign_shared PROPERTIES OUTPUT_NAME sign EXPORT_NAME libsign
    VERSION ${PROJECT_VERSION} SOVERSION ${LIBSIGN_SOVERSION})
  target_include_directories(libsign_shared PUBLIC $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/libsign/include>)
  # The same dependencies as the static library, private here: no public header names their types.
  target_link_libraries(libsign_shared PRIVATE $<TARGET_PROPERTY:libsign_core,INTERFACE_LINK_LIBRARIES>)
  target_link_options(libsign_shared PRIVATE -Wl,--no-undefined -Wl,--as-needed
    -Wl,--version-script=${PROJECT_SOURCE_DIR}/cmake/libsign.map)
  set_target_properties(libsign_shared PROPERTIES LINK_DEPENDS ${PROJECT_SOURCE_DIR}/cmake/libsign.map)
  install(TARGETS libsign_shared EXPORT libsignTargets
    LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT runtime NAMELINK_COMPONENT dev
    INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
endif()

install(TARGETS libsign_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT cli)
install(DIRECTORY libsign/include/libsign DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT dev)

# CMake package: libsign::libsign (shared; the static library when LIBSIGN_SHARED is off) and
# libsign::libsign_static.
install(EXPORT libsignTargets NAMESPACE libsign:: DESTINATION ${LIBSIGN_CMAKE_DIR} COMPONENT dev)
configure_package_config_file(cmake/libsignConfig.cmake.in ${CMAKE_CURRENT_BINARY_DIR}/libsignConfig.cmake
  INSTALL_DESTINATION ${LIBSIGN_CMAKE_DIR})
# Before 1.0 a minor release may change the API: 0.1 satisfies requests for 0.1.x only.
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/libsignConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/libsignConfig.cmake ${CMAKE_CURRENT_BINARY_DIR}/libsignConfigVersion.cmake
  DESTINATION ${LIBSIGN_CMAKE_DIR} COMPONENT dev)

# pkg-config: `-lsign` (the shared library when both are there); `--static` adds what the archive
# needs. Relocatable: the prefix is found from the .pc file's own folder.
# Botan by name, not through botan-2.pc: Debian's lists TPM and other libraries in its Libs.private
# (-ltspi) that the static link does not need and that are not installed with libbotan-2-dev.
set(LIBSIGN_PC_REQUIRES_PRIVATE "libcrypto >= 3.0, zlib, libxml-2.0")
set(LIBSIGN_PC_LIBS_PRIVATE "-lbotan-2 -ldl -pthread")
file(RELATIVE_PATH LIBSIGN_PC_TO_PREFIX /prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig /prefix)
configure_file(cmake/libsign.pc.in ${CMAKE_CURRENT_BINARY_DIR}/libsign.pc @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/libsign.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig COMPONENT dev)

# The Python package libsign (module _core, pure-Python parts, type stubs), where Debian's python3
# looks for packaged modules.
if(LIBSIGN_PYTHON)
  set(LIBSIGN_PYTHON_INSTALL_DIR lib/python3/dist-packages CACHE PATH "Where the Python package libsign is installed")
  install(TARGETS _core LIBRARY DESTINATION ${LIBSIGN_PYTHON_INSTALL_DIR}/libsign COMPONENT python)
  file(GLOB LIBSIGN_PY_FILES ${PROJECT_SOURCE_DIR}/bindings/python/libsign/*.py
       ${PROJECT_SOURCE_DIR}/bindings/python/libsign/*.pyi ${PROJECT_SOURCE_DIR}/bindings/python/libsign/py.typed)
  install(FILES ${LIBSIGN_PY_FILES} DESTINATION ${LIBSIGN_PYTHON_INSTALL_DIR}/libsign COMPONENT python)
endif()
