# Installation folders: GNUInstallDirs, with Debian's multiarch library folder for every prefix
# (GNUInstallDirs uses it for /usr only); ld.so, pkg-config and find_package search
# <prefix>/lib/<triplet> under /usr/local too. Included before anything installs (docs/packaging.md).
if(NOT DEFINED CMAKE_INSTALL_LIBDIR AND CMAKE_LIBRARY_ARCHITECTURE AND EXISTS /etc/debian_version)
  set(CMAKE_INSTALL_LIBDIR lib/${CMAKE_LIBRARY_ARCHITECTURE} CACHE PATH "Object code libraries (LIBDIR)")
endif()
include(GNUInstallDirs)
