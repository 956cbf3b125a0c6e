// The one error model of flexrecon.
//
// Two kinds of trouble, kept apart on purpose:
//  - a bad row, event or file among many: a Reject. It is recorded (source, location, reason), the
//    item alone is dropped, and the run goes on. rows in = accepted + rejected.
//  - a problem that stops the run: an Error thrown up to the one catch in the CLI, which prints
//    `flexrecon: error: <message>` and exits with the kind's code. Messages name the file and line.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace flexrecon {

enum class ErrorKind {
  Usage = 2,          // bad command line or option value
  InputUnusable = 3,  // an input the run cannot do without (metering file, rules folder)
  Internal = 4,       // anything else; nothing is written
};

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  static Error usage(const std::string& m) { return Error(ErrorKind::Usage, m); }
  static Error input(const std::string& m) { return Error(ErrorKind::InputUnusable, m); }
  static Error internal(const std::string& m) { return Error(ErrorKind::Internal, m); }
  ErrorKind kind() const { return kind_; }
  int exit_code() const { return static_cast<int>(kind_); }

 private:
  ErrorKind kind_;
};

// One input item that was not used, for a reason other than "not relevant".
struct Reject {
  std::string source;    // the input file as named on the command line (archive members: `a.zip!x.xml`)
  std::string location;  // `line 12`, `record 4711`, `file`
  std::string reason;    // short, specific: "unparsable sessionStartDate '2025-02-30 10:00:00'"
};

using Rejects = std::vector<Reject>;

}  // namespace flexrecon
