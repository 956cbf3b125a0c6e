#!/bin/sh
# catch_discover_tests splits a test name at ';' (a CMake list separator): such a test is registered
# under a name that runs nothing, and ctest reports it passed. Refuse such names.
root=${1:-.}
bad=$(grep -rn 'TEST_CASE("[^"]*;' "$root/tests" "$root/fuzz" 2>/dev/null)
if [ -n "$bad" ]; then
  echo "test names must not contain ';' (ctest would run nothing for them):"
  echo "$bad"
  exit 1
fi
echo "no test name contains ';'"
