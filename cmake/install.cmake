# Installing the engine: the headers, the static step libraries and a CMake package, so that
# another project can write
#
#   find_package(lsm-tutorial CONFIG REQUIRED)
#   target_link_libraries(app PRIVATE lsm::step5)
#
# lsm::step5 is the finished engine; it brings lsm::step4 … lsm::step1, lsm::common, fmt and
# Threads (and snappy, when this build found it) along. An earlier step is there too
# (lsm::step2 for the durable store alone). tests/install/consumer is such a project, and
# scripts/install_test.sh builds it against an install.
#
#   cmake --install build/debug --prefix /tmp/lsm    # after a build
include(CMakePackageConfigHelpers)

set(LSM_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/lsm-tutorial)
set(lsm_installed_libraries lsm_common lsm_step1 lsm_step2 lsm_step3 lsm_step4 lsm_step5)
foreach(library IN LISTS lsm_installed_libraries)
  string(REPLACE "lsm_" "" export_name ${library})  # lsm_step5 -> lsm::step5
  set_target_properties(${library} PROPERTIES EXPORT_NAME ${export_name})
endforeach()

# A static library keeps even its PRIVATE dependencies as link-only ones, so lsm_warnings must
# be exported too; outside this build it is empty (its flags are a BUILD_INTERFACE).
install(TARGETS ${lsm_installed_libraries} lsm_warnings
  EXPORT lsm-tutorialTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})

# The headers keep their repository paths: #include "step5_lsm/db.h", "common/status.h".
install(DIRECTORY
    ${PROJECT_SOURCE_DIR}/common
    ${PROJECT_SOURCE_DIR}/step1_memory
    ${PROJECT_SOURCE_DIR}/step2_wal
    ${PROJECT_SOURCE_DIR}/step3_memtable
    ${PROJECT_SOURCE_DIR}/step4_sstable
    ${PROJECT_SOURCE_DIR}/step5_lsm
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
  FILES_MATCHING PATTERN "*.h")

install(EXPORT lsm-tutorialTargets NAMESPACE lsm:: DESTINATION ${LSM_INSTALL_CMAKEDIR})
# The package config repeats this build's find_package calls for what the libraries link.
if(TARGET Snappy::snappy)
  set(LSM_LINKS_SNAPPY ON)
else()
  set(LSM_LINKS_SNAPPY OFF)
endif()
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/lsm-tutorialConfig.cmake.in
  ${PROJECT_BINARY_DIR}/lsm-tutorialConfig.cmake
  INSTALL_DESTINATION ${LSM_INSTALL_CMAKEDIR})
# 0.x: a minor version may break the API.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/lsm-tutorialConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES
    ${PROJECT_BINARY_DIR}/lsm-tutorialConfig.cmake
    ${PROJECT_BINARY_DIR}/lsm-tutorialConfigVersion.cmake
  DESTINATION ${LSM_INSTALL_CMAKEDIR})
