# The project's warning flags: an INTERFACE target, lsm_warnings, that every project target
# links PRIVATE. They apply to this build only (BUILD_INTERFACE), never to a project using the
# installed engine.
#
# LSM_WERROR (off by default) adds -Werror to them, so a new warning fails the build.
# scripts/test.sh turns it on for every preset it builds (CI); a newcomer's build (the demo,
# `cmake --preset release`) leaves it off, so a newer or older compiler's new warnings never
# stop the demo from building. Only our own sources get -Werror: it is not a global flag.
option(LSM_WERROR "Treat the project's compiler warnings as errors (scripts/test.sh: ON)" OFF)

add_library(lsm_warnings INTERFACE)
target_compile_options(lsm_warnings INTERFACE
  "$<BUILD_INTERFACE:-Wall;-Wextra;-Wpedantic;-Wno-missing-field-initializers>")
if(LSM_WERROR)
  target_compile_options(lsm_warnings INTERFACE "$<BUILD_INTERFACE:-Werror>")
endif()
