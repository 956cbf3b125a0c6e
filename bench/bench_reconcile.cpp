// Benchmark: generates a synthetic audit case (hosts x days of Security events in wevtutil XML, one
// metering row per host and working day), then times each stage of a reconcile run and prints the
// throughput. Not a test: it prints numbers. Usage:
//   flexrecon_bench [--hosts N] [--days N] [--noise-per-day N] [--dir DIR] [--jobs N]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

#include "flexrecon/pack.h"
#include "flexrecon/reconcile.h"

namespace fs = std::filesystem;
using namespace flexrecon;

namespace {

struct Params {
  int hosts = 200;
  int days = 30;
  int noise_per_day = 400;  // non-session Security events per host and day (network logons, 4672, 4688...)
  int jobs = 1;
  std::string dir;
};

std::string iso(Instant t) {
  std::string s = format_utc_precise(t);
  return s;
}

void event(std::ostream& out, const std::string& computer, int id, std::uint64_t record, Instant t,
           const std::string& data) {
  out << "<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\"><System>"
         "<Provider Name=\"Microsoft-Windows-Security-Auditing\" Guid=\"{54849625-5478-4994-a5ba-3e3b0328c30d}\"/>"
         "<EventID>"
      << id << "</EventID><Version>2</Version><Level>0</Level><Task>12544</Task><Opcode>0</Opcode>"
      << "<Keywords>0x8020000000000000</Keywords><TimeCreated SystemTime=\"" << iso(t) << "\"/>"
      << "<EventRecordID>" << record << "</EventRecordID><Correlation/><Execution ProcessID=\"700\" ThreadID=\"812\"/>"
      << "<Channel>Security</Channel><Computer>" << computer << "</Computer><Security/></System><EventData>" << data
      << "</EventData></Event>\n";
}

std::string logon_data(const std::string& user, std::uint64_t logon_id, int type) {
  char buf[1024];
  std::snprintf(buf, sizeof buf,
                "<Data Name=\"SubjectUserSid\">S-1-5-18</Data><Data Name=\"SubjectUserName\">WS$</Data>"
                "<Data Name=\"TargetUserSid\">S-1-5-21-1-2-3-1001</Data><Data Name=\"TargetUserName\">%s</Data>"
                "<Data Name=\"TargetDomainName\">CORP</Data><Data Name=\"TargetLogonId\">0x%llx</Data>"
                "<Data Name=\"LogonType\">%d</Data><Data Name=\"LogonProcessName\">User32</Data>"
                "<Data Name=\"AuthenticationPackageName\">Negotiate</Data><Data Name=\"IpAddress\">-</Data>"
                "<Data Name=\"TargetLinkedLogonId\">0x0</Data><Data Name=\"ElevatedToken\">%%%%1843</Data>",
                user.c_str(), static_cast<unsigned long long>(logon_id), type);
  return buf;
}

std::uint64_t generate(const Params& p, const fs::path& dir) {
  fs::create_directories(dir / "events");
  std::ofstream metering(dir / "metering.csv");
  metering << "\"chargedItemID\",\"userName\",\"machineName\",\"productLineCode\",\"productVersion\","
              "\"sessionStartDate\",\"sessionEndDate\",\"tokensConsumed\",\"usageCategory\",\n";
  const Instant day0 = *parse_timestamp("2026-01-05T00:00:00Z");
  std::uint64_t rows = 0;
  for (int h = 0; h < p.hosts; ++h) {
    const std::string computer = "WS-" + std::to_string(10000 + h) + ".corp.example";
    const std::string user = "user" + std::to_string(h);
    std::ofstream out(dir / "events" / ("ws-" + std::to_string(10000 + h) + ".xml"));
    std::uint64_t record = 1000;
    for (int d = 0; d < p.days; ++d) {
      const Instant day = day0 + d * kDay;
      const std::uint64_t logon_id = 0x100000 + static_cast<std::uint64_t>(d);
      for (int n = 0; n < p.noise_per_day; ++n) {
        const Instant t = day + n * (kDay / p.noise_per_day);
        if (t >= day + 8 * kHour && n % 50 == 0) {
          event(out, computer, 4624, record++, t, logon_data("svc_backup", 0x900000 + n, 3));
        } else {
          event(out, computer, 4672, record++, t,
                "<Data Name=\"SubjectUserSid\">S-1-5-18</Data><Data Name=\"SubjectUserName\">SYSTEM</Data>"
                "<Data Name=\"SubjectLogonId\">0x3e7</Data><Data Name=\"PrivilegeList\">SeBackupPrivilege</Data>");
        }
      }
      const bool workday = d % 7 < 5;
      if (workday) {
        event(out, computer, 4624, record++, day + 8 * kHour + 30 * kMinute, logon_data(user, logon_id, 2));
        event(out, computer, 4800, record++, day + 12 * kHour,
              "<Data Name=\"TargetUserName\">" + user + "</Data><Data Name=\"TargetLogonId\">0x" +
                  [&] { char b[32]; std::snprintf(b, sizeof b, "%llx", static_cast<unsigned long long>(logon_id)); return std::string(b); }() +
                  "</Data>");
        event(out, computer, 4801, record++, day + 12 * kHour + 40 * kMinute,
              "<Data Name=\"TargetUserName\">" + user + "</Data><Data Name=\"TargetLogonId\">0x" +
                  [&] { char b[32]; std::snprintf(b, sizeof b, "%llx", static_cast<unsigned long long>(logon_id)); return std::string(b); }() +
                  "</Data>");
        event(out, computer, 4634, record++, day + 17 * kHour + 15 * kMinute, logon_data(user, logon_id, 2));
        // One charge inside the session, one at night (a background launch).
        metering << "\"C" << rows << "\",\"CORP\\" << user << "\",\"" << computer << "\",\"ACD\",\"2025\",\""
                 << format_utc(day + 9 * kHour).substr(0, 19) << "\",\"" << format_utc(day + 16 * kHour).substr(0, 19)
                 << "\",\"7.0\",\"DESKTOP_PRODUCT\",\n";
        ++rows;
        if (d % 5 == 2) {
          metering << "\"C" << rows << "\",\"CORP\\" << user << "\",\"" << computer << "\",\"ACD\",\"2025\",\""
                   << format_utc(day + 2 * kHour).substr(0, 19) << "\",\"" << format_utc(day + 3 * kHour).substr(0, 19)
                   << "\",\"7.0\",\"DESKTOP_PRODUCT\",\n";
          ++rows;
        }
      }
    }
  }
  return rows;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::uint64_t dir_bytes(const fs::path& dir) {
  std::uint64_t total = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) total += e.file_size();
  return total;
}

}  // namespace

int main(int argc, char** argv) {
  Params p;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--hosts") p.hosts = std::atoi(argv[i + 1]);
    else if (a == "--days") p.days = std::atoi(argv[i + 1]);
    else if (a == "--noise-per-day") p.noise_per_day = std::atoi(argv[i + 1]);
    else if (a == "--jobs") p.jobs = std::atoi(argv[i + 1]);
    else if (a == "--dir") p.dir = argv[i + 1];
    else {
      std::cerr << "usage: flexrecon_bench [--hosts N] [--days N] [--noise-per-day N] [--jobs N] [--dir DIR]\n";
      return 2;
    }
  }
  const fs::path dir = p.dir.empty() ? fs::temp_directory_path() / "flexrecon-bench" : fs::path(p.dir);
  fs::remove_all(dir);
  auto t0 = std::chrono::steady_clock::now();
  const auto rows = generate(p, dir);
  const double gen = seconds_since(t0);
  const std::uint64_t event_bytes = dir_bytes(dir / "events");
  std::printf("case: %d hosts x %d days, %d noise events/host/day; %.1f MiB of event XML, %llu metering rows (generated in %.1f s)\n",
              p.hosts, p.days, p.noise_per_day, event_bytes / 1048576.0, static_cast<unsigned long long>(rows), gen);

  ReconcileOptions o;
  o.metering = {(dir / "metering.csv").string()};
  o.events = {(dir / "events").string()};
  o.out = (dir / "pack").string();
  o.quiet = true;
  o.jobs = p.jobs;
  o.as_of = "2026-03-01";
  t0 = std::chrono::steady_clock::now();
  ReconcileResult r = reconcile(o);
  const double rec = seconds_since(t0);
  std::printf("reconcile (read + sessions + rules): %.2f s, %.1f MiB/s of event XML, %.0f events/s (%llu events, %llu sessions, %zu findings)\n",
              rec, event_bytes / 1048576.0 / rec, r.events.counts.read / rec,
              static_cast<unsigned long long>(r.events.counts.read), static_cast<unsigned long long>(r.timelines.sessions),
              r.results.findings.size());
  PackOptions pack;
  pack.out = o.out;
  pack.force = true;
  pack.templates_dir = default_templates_dir();
  t0 = std::chrono::steady_clock::now();
  write_pack(r, pack);
  const double wp = seconds_since(t0);
  std::printf("write_pack: %.2f s (%.1f MiB pack, evidence.sqlite %.1f MiB)\n", wp, dir_bytes(o.out) / 1048576.0,
              fs::file_size(fs::path(o.out) / "evidence.sqlite") / 1048576.0);
  std::printf("total: %.2f s (write_pack %.0f%%)\n", rec + wp, 100.0 * wp / (rec + wp));
  fs::remove_all(dir);
  return 0;
}
