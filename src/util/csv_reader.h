// A small streaming RFC 4180 reader shared by every tabular input (metering, inventory, identities,
// rules). It reads in blocks, so a file of any size costs one record of memory, and it hashes the
// bytes as they pass so each source is registered with its SHA-256 without a second read.
#pragma once

#include <cstdint>
#include <fstream>
#include <istream>
#include <optional>
#include <string>
#include <vector>

#include "util/sha256.h"

namespace flexrecon {

struct CsvRecord {
  std::uint64_t line = 0;                // physical line where the record starts (1-based)
  std::vector<std::string> fields;
  std::optional<std::size_t> oversized;  // index of the first field over the limit (its text is dropped)
  bool unterminated = false;             // a quoted field ran to the end of the input
  bool overlong = false;                 // the record as a whole passed the record limit (fields dropped)
  bool ok() const { return !oversized && !unterminated && !overlong; }
};

class CsvReader {
 public:
  static constexpr std::size_t kMaxFieldBytes = std::size_t{1} << 20;
  // Bounds memory for lines of millions of short fields, which the field limit alone does not.
  static constexpr std::size_t kMaxRecordBytes = std::size_t{16} << 20;

  explicit CsvReader(std::istream& in, std::size_t max_field_bytes = kMaxFieldBytes,
                     std::size_t max_record_bytes = kMaxRecordBytes);

  // The next record, skipping blank lines; false at the end of the input. Accepts CRLF, LF and lone
  // CR line ends, a UTF-8 BOM, quoted commas, doubled quotes and line breaks inside quotes. Text
  // after a closing quote is kept rather than refused: exports are not always strict.
  bool next(CsvRecord& record);

  // Digest and size of every byte read (the whole file once next() has returned false). sha256()
  // finishes the digest: call it once.
  std::string sha256();
  std::uint64_t bytes() const { return bytes_; }

 private:
  int get();
  int peek();
  bool fill();

  std::istream& in_;
  std::size_t max_field_;
  std::size_t max_record_;
  std::vector<char> buf_;
  std::size_t pos_ = 0;
  std::size_t len_ = 0;
  bool started_ = false;
  bool eof_ = false;
  std::uint64_t line_ = 1;
  Sha256 hash_;
  std::uint64_t bytes_ = 0;
};

// Opens a tabular input for reading; throws Error::input ("cannot open <what> 'path': reason")
// when it is missing, a directory, or unreadable.
std::ifstream open_table(const std::string& path, const std::string& what);

}  // namespace flexrecon
