# Debian packages from the install components of cmake/install.cmake (docs/packaging.md):
#   libsign0         runtime: the shared library libsign.so.0
#   libsign-dev      headers, libsign.a, the libsign.so link, the CMake package and libsign.pc
#   libsign-tools    the `libsign` command (statically linked: no library dependency)
#   python3-libsign  the Python package for Debian's python3 (/usr/lib/python3/dist-packages)
# Build them in a build folder with `cpack -G DEB` (or `cpack -G DEB -B OUTDIR`).
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME libsign)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Signs and verifies PDF dossiers, XML e-forms and CMS (Vietnamese PKIs)")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
# Distributors set their own (-DCPACK_DEBIAN_PACKAGE_MAINTAINER=...).
if(NOT CPACK_DEBIAN_PACKAGE_MAINTAINER)
  set(CPACK_DEBIAN_PACKAGE_MAINTAINER "libsign maintainers <maintainers@libsign.invalid>")
endif()
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
# Library dependencies from the binaries themselves (dpkg-shlibdeps); the shlibs file of libsign0 lets
# other packages do the same against it.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

set(CPACK_COMPONENTS_ALL cli dev)
if(LIBSIGN_SHARED)
  list(APPEND CPACK_COMPONENTS_ALL runtime)
endif()
if(LIBSIGN_PYTHON)
  list(APPEND CPACK_COMPONENTS_ALL python)
endif()

set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME libsign${LIBSIGN_SOVERSION})
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SECTION libs)
set(CPACK_COMPONENT_RUNTIME_DESCRIPTION "libsign shared library
 Signs and verifies PDF dossiers (PAdES), XML e-forms (XML-DSig/XAdES) and CMS (CAdES) against
 the Vietnamese CA chains, with findings explained in Vietnamese and English.")

set(CPACK_DEBIAN_DEV_PACKAGE_NAME libsign-dev)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
# The library of the same version (the headers describe its ABI exactly), and what static linking and
# `pkg-config --static` (Requires.private of libsign.pc) need.
set(LIBSIGN_DEV_DEPENDS "libssl-dev (>= 3.0), zlib1g-dev, libxml2-dev, libbotan-2-dev")
if(LIBSIGN_SHARED)
  set(LIBSIGN_DEV_DEPENDS "libsign${LIBSIGN_SOVERSION} (= ${PROJECT_VERSION}), ${LIBSIGN_DEV_DEPENDS}")
endif()
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS "${LIBSIGN_DEV_DEPENDS}")
set(CPACK_DEBIAN_DEV_PACKAGE_SHLIBDEPS OFF)  # headers and an archive: nothing for dpkg-shlibdeps
set(CPACK_COMPONENT_DEV_DESCRIPTION "libsign development files
 Headers, the static library, the CMake package (find_package(libsign CONFIG), target
 libsign::libsign) and the pkg-config file libsign.pc.")

set(CPACK_DEBIAN_CLI_PACKAGE_NAME libsign-tools)
set(CPACK_DEBIAN_CLI_PACKAGE_SECTION utils)
set(CPACK_COMPONENT_CLI_DESCRIPTION "libsign command: verify, sign, diagnose signed documents
 The libsign command verifies and signs PDF dossiers, XML e-forms and CMS signatures against the
 Vietnamese CA chains and diagnoses whole archives. Statically linked.")

if(LIBSIGN_PYTHON)
  set(CPACK_DEBIAN_PYTHON_PACKAGE_NAME python3-libsign)
  set(CPACK_DEBIAN_PYTHON_PACKAGE_SECTION python)
  # The module is built for one Python minor version (its ABI tag is in the file name).
  set(LIBSIGN_PY_MINOR "${Python_VERSION_MAJOR}.${Python_VERSION_MINOR}")
  math(EXPR LIBSIGN_PY_NEXT "${Python_VERSION_MINOR} + 1")
  set(CPACK_DEBIAN_PYTHON_PACKAGE_DEPENDS
      "python3 (>= ${LIBSIGN_PY_MINOR}), python3 (<< ${Python_VERSION_MAJOR}.${LIBSIGN_PY_NEXT})")
  set(CPACK_COMPONENT_PYTHON_DESCRIPTION "libsign Python module
 The libsign package for Python 3 with its type stubs: verify, sign and diagnose from Python.")
endif()

include(CPack)
