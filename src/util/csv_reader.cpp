#include "util/csv_reader.h"

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "flexrecon/error.h"
#include "util/strings.h"

namespace flexrecon {

namespace {
constexpr std::size_t kBlock = 64 * 1024;
}

CsvReader::CsvReader(std::istream& in, std::size_t max_field_bytes, std::size_t max_record_bytes)
    : in_(in), max_field_(max_field_bytes), max_record_(max_record_bytes), buf_(kBlock) {}

bool CsvReader::fill() {
  if (eof_) return false;
  in_.read(buf_.data(), static_cast<std::streamsize>(buf_.size()));
  len_ = static_cast<std::size_t>(in_.gcount());
  pos_ = 0;
  if (len_ < buf_.size()) eof_ = true;
  hash_.update(std::string_view(buf_.data(), len_));
  bytes_ += len_;
  if (!started_) {
    started_ = true;
    // istream::read only returns short at the end, so a BOM is always whole in the first block.
    if (len_ >= 3 && buf_[0] == '\xEF' && buf_[1] == '\xBB' && buf_[2] == '\xBF') pos_ = 3;
  }
  return pos_ < len_;
}

int CsvReader::peek() {
  if (pos_ >= len_ && !fill()) return -1;
  return static_cast<unsigned char>(buf_[pos_]);
}

int CsvReader::get() {
  int c = peek();
  if (c != -1) ++pos_;
  return c;
}

bool CsvReader::next(CsvRecord& record) {
  record.fields.clear();
  record.oversized.reset();
  record.unterminated = false;
  record.overlong = false;

  // Blank lines separate nothing; they are not records.
  for (;;) {
    int c = peek();
    if (c == -1) return false;
    if (c == '\n') {
      get();
      ++line_;
    } else if (c == '\r') {
      get();
      if (peek() == '\n') get();
      ++line_;
    } else {
      break;
    }
  }
  record.line = line_;

  std::string field;
  bool too_long = false;
  std::size_t record_bytes = 0;
  auto append = [&](int ch) {
    if (too_long || record.overlong) return;
    if (++record_bytes > max_record_) {
      record.overlong = true;
      record.fields.clear();
      record.fields.shrink_to_fit();
      field.clear();
      return;
    }
    if (field.size() >= max_field_) {
      too_long = true;
      field.clear();
      field.shrink_to_fit();
      return;
    }
    field.push_back(static_cast<char>(ch));
  };
  auto push = [&] {
    if (too_long && !record.oversized) record.oversized = record.fields.size();
    // Each field costs at least its separator, so empty fields count towards the limit too.
    if (!record.overlong && ++record_bytes > max_record_) {
      record.overlong = true;
      record.fields.clear();
      record.fields.shrink_to_fit();
    }
    // Excel saves "CSV" in Windows-1252 on Western Windows: a field that is not UTF-8 is read as
    // that, so `M\xFCller` stays Müller and every file of the pack stays UTF-8.
    if (!record.overlong && !is_valid_utf8(field)) field = windows1252_to_utf8(field);
    if (!record.overlong) record.fields.push_back(std::move(field));
    field.clear();
    too_long = false;
  };
  auto is_end = [](int ch) { return ch == ',' || ch == '\n' || ch == '\r' || ch == -1; };

  for (;;) {
    int c = get();
    if (c == '"') {
      for (;;) {
        c = get();
        if (c == -1) {
          record.unterminated = true;
          push();
          return true;
        }
        if (c == '"') {
          if (peek() == '"') {
            get();
            append('"');
            continue;
          }
          break;
        }
        // Line breaks inside quotes are data, but still physical lines for later locations.
        if (c == '\n') ++line_;
        if (c == '\r' && peek() != '\n') ++line_;
        append(c);
      }
      c = get();
    }
    while (!is_end(c)) {
      append(c);
      c = get();
    }
    push();
    if (c == ',') continue;
    if (c == '\r' && peek() == '\n') get();
    if (c != -1) ++line_;
    return true;
  }
}

std::string CsvReader::sha256() { return hash_.hex_digest(); }

std::ifstream open_table(const std::string& path, const std::string& what) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) throw Error::input("cannot open " + what + " '" + path + "': no such file");
  // Only regular files: a FIFO would block and a directory reads as empty.
  if (!std::filesystem::is_regular_file(status)) {
    throw Error::input("cannot open " + what + " '" + path + "': not a regular file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error::input("cannot open " + what + " '" + path + "': " + std::strerror(errno));
  return in;
}

}  // namespace flexrecon
