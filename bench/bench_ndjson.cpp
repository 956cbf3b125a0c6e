// Throughput of the SIEM JSON reader on one thread: writes a Winlogbeat 8 (ECS) NDJSON file of
// real-shaped Security events, then reads it through read_event_stream (format detection, bounded
// line splitting, simdjson parsing, mapping to Events) and prints MB/s. Numbers: bench/README.md.
//
// usage: flexrecon_bench_ndjson [MIB] [FILE]   (default 256 MiB in the temp folder, removed after)
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

#include "flexrecon/event_store.h"

using namespace flexrecon;

namespace {

class StdioSource : public ByteSource {
 public:
  explicit StdioSource(const std::string& path) : f_(std::fopen(path.c_str(), "rb")) {
    if (!f_) throw std::runtime_error("cannot open " + path);
  }
  ~StdioSource() override { std::fclose(f_); }
  std::size_t read(char* buf, std::size_t n) override { return std::fread(buf, 1, n, f_); }

 private:
  std::FILE* f_;
};

// One logon or process-creation record as Winlogbeat 8 writes it, about 1.2 KB.
std::string document(std::uint64_t i) {
  const std::uint64_t s = i % 86400;
  char time[32];
  std::snprintf(time, sizeof time, "2026-03-%02d T%02d:%02d:%02d.%03dZ", static_cast<int>(1 + (i / 86400) % 28),
                static_cast<int>(s / 3600), static_cast<int>(s / 60 % 60), static_cast<int>(s % 60),
                static_cast<int>(i % 1000));
  std::string t(time);
  t.erase(t.find(' '), 1);
  const std::string host = "WS-" + std::to_string(1000 + i % 500) + ".corp.example";
  const bool logon = i % 3 == 0;
  std::string data = logon ? "\"SubjectUserSid\":\"S-1-5-18\",\"SubjectUserName\":\"" + host.substr(0, 7) +
                                 "$\",\"SubjectDomainName\":\"CORP\",\"SubjectLogonId\":\"0x3e7\",\"TargetUserSid\":\"S-1-5-21-"
                                 "1004336348-1177238915-682003330-" + std::to_string(1100 + i % 900) +
                                 "\",\"TargetUserName\":\"user" + std::to_string(i % 900) +
                                 "\",\"TargetDomainName\":\"CORP\",\"TargetLogonId\":\"0x" + std::to_string(100000 + i) +
                                 "\",\"LogonType\":\"2\",\"LogonProcessName\":\"User32 \",\"AuthenticationPackageName\":"
                                 "\"Negotiate\",\"WorkstationName\":\"" + host.substr(0, 7) +
                                 "\",\"LogonGuid\":\"{00000000-0000-0000-0000-000000000000}\",\"ProcessName\":"
                                 "\"C:\\\\Windows\\\\System32\\\\svchost.exe\",\"IpAddress\":\"127.0.0.1\",\"IpPort\":\"0\","
                                 "\"ElevatedToken\":\"%%1843\""
                           : "\"SubjectUserSid\":\"S-1-5-18\",\"SubjectUserName\":\"SYSTEM\",\"NewProcessId\":\"0x1a2c\","
                             "\"NewProcessName\":\"C:\\\\Windows\\\\System32\\\\conhost.exe\",\"TokenElevationType\":\"%%1936\","
                             "\"ProcessId\":\"0x4d8\",\"CommandLine\":\"\\\\??\\\\C:\\\\Windows\\\\system32\\\\conhost.exe 0xffffffff -ForceV1\","
                             "\"ParentProcessName\":\"C:\\\\Windows\\\\System32\\\\cmd.exe\"";
  const std::string id = logon ? "4624" : "4688";
  return "{\"@timestamp\":\"" + t + "\",\"agent\":{\"hostname\":\"wec01\",\"type\":\"winlogbeat\",\"version\":\"8.11.1\"},"
         "\"ecs\":{\"version\":\"8.0.0\"},\"event\":{\"code\":\"" + id + "\",\"kind\":\"event\",\"provider\":"
         "\"Microsoft-Windows-Security-Auditing\",\"outcome\":\"success\"},\"host\":{\"name\":\"wec01.corp.example\"},"
         "\"log\":{\"level\":\"information\"},\"message\":\"An account was successfully logged on.\","
         "\"winlog\":{\"channel\":\"Security\",\"computer_name\":\"" + host + "\",\"event_data\":{" + data +
         "},\"event_id\":\"" + id + "\",\"keywords\":[\"Audit Success\"],\"opcode\":\"Info\",\"process\":{\"pid\":812,"
         "\"thread\":{\"id\":4316}},\"provider_guid\":\"{54849625-5478-4994-A5BA-3E3B0328C30D}\",\"provider_name\":"
         "\"Microsoft-Windows-Security-Auditing\",\"record_id\":" + std::to_string(5000000 + i) + ",\"task\":\"Logon\"}}\n";
}

}  // namespace

int main(int argc, char** argv) {
  const std::uint64_t mib = argc > 1 ? std::stoull(argv[1]) : 256;
  const bool own_file = argc <= 2;
  const std::string path = own_file ? (std::filesystem::temp_directory_path() / "flexrecon-bench.ndjson").string() : argv[2];
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    std::uint64_t written = 0;
    for (std::uint64_t i = 0; written < (mib << 20); ++i) {
      const std::string d = document(i);
      out << d;
      written += d.size();
    }
  }
  const auto bytes = std::filesystem::file_size(path);
  std::uint64_t events = 0;
  Rejects rejects;
  const auto start = std::chrono::steady_clock::now();
  StdioSource in(path);
  const std::string format = read_event_stream(in, path, 0, {}, [&](Event&&) { ++events; }, rejects);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (own_file) std::filesystem::remove(path);
  std::cout << "format " << format << ": " << events << " events, " << rejects.size() << " rejected, "
            << bytes / 1048576.0 << " MiB in " << seconds << " s = " << (bytes / 1e6) / seconds << " MB/s\n";
  return rejects.empty() && events > 0 ? 0 : 1;
}
