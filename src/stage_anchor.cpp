// Every stage library compiles this file too, so a stage is a valid library even before its first
// source file exists (CMake rejects a library without sources).
