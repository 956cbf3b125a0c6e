// The members of a zip file (an .xlsx), read with libarchive: tests look at what Excel would read.
#pragma once

#include <catch2/catch.hpp>

#include <archive.h>
#include <archive_entry.h>

#include <map>
#include <string>

namespace flexrecon::test {

inline std::map<std::string, std::string> zip_members(const std::string& path) {
  std::map<std::string, std::string> out;
  struct archive* a = archive_read_new();
  archive_read_support_format_zip(a);
  REQUIRE(archive_read_open_filename(a, path.c_str(), 1 << 16) == ARCHIVE_OK);
  struct archive_entry* e = nullptr;
  while (archive_read_next_header(a, &e) == ARCHIVE_OK) {
    std::string data;
    char buf[1 << 14];
    la_ssize_t n = 0;
    while ((n = archive_read_data(a, buf, sizeof buf)) > 0) data.append(buf, static_cast<std::size_t>(n));
    out[archive_entry_pathname(e)] = data;
  }
  archive_read_free(a);
  return out;
}

}  // namespace flexrecon::test
