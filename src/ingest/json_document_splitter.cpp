#include "ingest/json_document_splitter.h"

#include <cstring>

namespace flexrecon {

namespace {

constexpr std::size_t kBlock = 1 << 16;

bool is_space(int c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string too_long(std::uint64_t max) {
  if (max % (1u << 20) == 0) return "JSON document larger than " + std::to_string(max >> 20) + " MiB";
  return "JSON document larger than " + std::to_string(max) + " bytes";
}

}  // namespace

JsonDocumentSplitter::JsonDocumentSplitter(ByteSource& utf8, std::uint64_t max_bytes)
    : in_(utf8), max_bytes_(max_bytes), buf_(kBlock) {}

bool JsonDocumentSplitter::fill() {
  if (pos_ < end_) return true;
  if (eof_) return false;
  pos_ = 0;
  end_ = in_.read(buf_.data(), buf_.size());
  if (end_ == 0) eof_ = true;
  return end_ > 0;
}

int JsonDocumentSplitter::peek() { return fill() ? static_cast<unsigned char>(buf_[pos_]) : -1; }

int JsonDocumentSplitter::get() {
  if (!fill()) return -1;
  const int c = static_cast<unsigned char>(buf_[pos_++]);
  if (c == '\n') ++line_;
  return c;
}

void JsonDocumentSplitter::skip_space() {
  while (is_space(peek())) get();
}

bool JsonDocumentSplitter::next(JsonDocument& out) {
  out.text.clear();
  out.broken.clear();
  if (mode_ == Mode::Unknown) {
    skip_space();
    // The first character decides, once: an array is read element by element, anything else line by line.
    mode_ = peek() == '[' ? Mode::Array : Mode::Lines;
    if (mode_ == Mode::Array) get();
  }
  if (mode_ == Mode::Lines) return next_line(out);
  if (mode_ == Mode::Array) return next_element(out);
  return false;
}

bool JsonDocumentSplitter::next_line(JsonDocument& out) {
  while (true) {
    if (!fill()) return false;
    out.line = line_;
    out.text.clear();
    bool overlong = false;
    bool ended = false;
    // Whole blocks at a time up to the newline: this loop is the reader's hot path.
    while (!ended && fill()) {
      const char* start = buf_.data() + pos_;
      const char* nl = static_cast<const char*>(std::memchr(start, '\n', end_ - pos_));
      const std::size_t n = nl ? static_cast<std::size_t>(nl - start) : end_ - pos_;
      if (!overlong) {
        if (out.text.size() + n > max_bytes_) {
          overlong = true;
          out.text.clear();
          out.text.shrink_to_fit();
        } else {
          out.text.append(start, n);
        }
      }
      pos_ += n;
      if (nl) {
        ++pos_;
        ++line_;
        ended = true;
      }
    }
    if (overlong) {
      out.broken = too_long(max_bytes_);
      return true;
    }
    std::size_t first = 0;
    while (first < out.text.size() && is_space(out.text[first])) ++first;
    if (first == out.text.size()) continue;  // blank line
    return true;
  }
}

bool JsonDocumentSplitter::next_element(JsonDocument& out) {
  // Between elements: whitespace and one comma; `]` ends the array.
  skip_space();
  if (peek() == ',') {
    get();
    skip_space();
  }
  const int first = peek();
  if (first < 0) {
    mode_ = Mode::Done;
    return false;
  }
  if (first == ']') {
    get();
    skip_space();
    mode_ = Mode::Done;
    // Anything after the closing bracket is not part of the export: say so once.
    if (peek() >= 0) {
      out.line = line_;
      out.broken = "text after the end of the JSON array";
      return true;
    }
    return false;
  }
  out.line = line_;
  // Depth and string state only: nothing is kept but the element's own bytes, and not even those
  // once it passes the bound.
  int depth = 0;
  bool in_string = false;
  bool escape = false;
  bool overlong = false;
  while (true) {
    const int c = peek();
    if (c < 0) {
      out.broken = "truncated JSON document (the file ends inside it)";
      out.text.clear();
      mode_ = Mode::Done;
      return true;
    }
    if (!in_string && depth == 0 && (c == ',' || c == ']')) break;  // end of a scalar element
    get();
    if (!overlong) {
      if (out.text.size() >= max_bytes_) {
        overlong = true;
        out.text.clear();
        out.text.shrink_to_fit();
      } else {
        out.text.push_back(static_cast<char>(c));
      }
    }
    if (in_string) {
      if (escape) escape = false;
      else if (c == '\\') escape = true;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      if (--depth <= 0) break;
    }
  }
  if (overlong) out.broken = too_long(max_bytes_);
  return true;
}

}  // namespace flexrecon
