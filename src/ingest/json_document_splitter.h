// Cuts a stream of JSON exports into documents, one at a time, with bounded memory: one document
// per line (NDJSON, as Winlogbeat, NXLog, Elasticsearch dumps and Splunk's JSON export write it) or
// the elements of one top-level JSON array (any layout).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "flexrecon/event_store.h"

namespace flexrecon {

struct JsonDocument {
  std::uint64_t line = 0;  // line of the stream where the document starts (1-based)
  std::string text;        // the document, or empty when broken
  std::string broken;      // non-empty: why the document cannot be read (it is rejected alone)
};

class JsonDocumentSplitter {
 public:
  // `max_bytes` bounds one document: a longer one is rejected and the splitter resumes after it
  // (at the next line, or at the next element of the array) without ever holding more.
  JsonDocumentSplitter(ByteSource& utf8, std::uint64_t max_bytes);

  // The next document; false at the end of the stream.
  bool next(JsonDocument& out);

 private:
  bool fill();
  int peek();
  int get();
  bool next_line(JsonDocument& out);
  bool next_element(JsonDocument& out);
  void skip_space();

  ByteSource& in_;
  std::uint64_t max_bytes_;
  std::vector<char> buf_;
  std::size_t pos_ = 0;
  std::size_t end_ = 0;
  bool eof_ = false;
  std::uint64_t line_ = 1;
  enum class Mode { Unknown, Lines, Array, Done } mode_ = Mode::Unknown;
};

}  // namespace flexrecon
