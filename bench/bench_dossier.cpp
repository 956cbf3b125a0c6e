// Benchmark: the dossier at archive scale. Builds a reconciliation result the size of a
// 2,000-machine, 30-day estate (a working-day session with a lunch lock per machine and day, the
// Windows events they rest on, nightly power-off on every third machine, Security-log gaps on every
// tenth, about 5,000 night-time launches challenged as background, charges left open and notes),
// writes the pack with write_pack, and prints the size of dossier.html and of the largest linked
// page. With --chromium BIN it also times headless Chromium loading them (`--dump-dom`): the page's
// own load-and-layout time and the wall time of the run, against an empty page for the browser's start.
// Not a test: it prints numbers. Usage:
//   flexrecon_bench_dossier [--hosts N] [--days N] [--out DIR] [--chromium BIN]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "flexrecon/pack.h"
#include "flexrecon/reconcile.h"
#include "pack/dossier.h"
#include "util/sha256.h"

namespace fs = std::filesystem;
using namespace flexrecon;

namespace {

struct Params {
  int hosts = 2000;
  int days = 30;
  std::string out;
  std::string chromium;
};

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

Event security_event(SourceId source, std::uint64_t record, Instant t, int id, const std::string& host,
                     std::vector<EventField> fields) {
  Event e;
  e.source = source;
  e.record_id = record;
  e.time = t;
  e.event_id = id;
  e.channel_name = "Security";
  e.channel = Channel::Security;
  e.provider = "Microsoft-Windows-Security-Auditing";
  e.computer = host + ".corp.example";
  e.host = host;
  e.fields = std::move(fields);
  return e;
}

ReconcileResult estate(const Params& p) {
  ReconcileResult r;
  r.options.as_of = "2026-03-01T00:00:00Z";
  r.options.command_line = {"flexrecon", "reconcile", "--metering", "lrt.csv", "--events", "estate", "--out", "pack"};
  r.options.entitlement = 20000;
  r.options.list_price = 3.0;
  r.rules.hash = sha256_hex("rules");
  r.sources.add({"lrt.csv", SourceKind::Metering, "token-flex-csv", sha256_hex("lrt.csv"), 9'000'000, ""});
  const Instant day0 = *parse_timestamp("2026-01-05T00:00:00Z");
  std::uint64_t session_id = 0, line = 2;
  for (int h = 0; h < p.hosts; ++h) {
    const std::string host = "ws-" + std::to_string(10000 + h);
    const std::string user = "user" + std::to_string(h);
    const std::string file = "estate/" + host + "/Security.xml";
    const SourceId src = r.sources.add({file, SourceKind::Events, "wevtutil-xml", sha256_hex(file), 1'300'000, ""});
    const std::string sys = "estate/" + host + "/System.xml";
    r.sources.add({sys, SourceKind::Events, "wevtutil-xml", sha256_hex(sys), 90'000, ""});
    HostEvents& he = r.events.hosts[host];
    he.host = host;
    HostTimeline& tl = r.timelines.hosts[host];
    tl.host = host;
    tl.has_security_log = h % 50 != 7;
    std::uint64_t record = 1000;
    std::vector<std::uint64_t> day_sessions;
    for (int d = 0; d < p.days; ++d) {
      const Instant day = day0 + d * kDay;
      Session s;
      s.id = ++session_id;
      s.host = host;
      s.user = user;
      s.logon_type = 2;
      s.logon_id = 0x100000 + static_cast<std::uint64_t>(d);
      s.span = {day + 8 * kHour, day + 17 * kHour};
      s.start_reason = "4624 LogonType 2";
      s.end_reason = "4647";
      char logon_id[32];
      std::snprintf(logon_id, sizeof logon_id, "0x%llx", static_cast<unsigned long long>(s.logon_id));
      const std::vector<EventField> who = {{"TargetUserName", user}, {"TargetDomainName", "CORP"}, {"TargetLogonId", logon_id}};
      std::vector<EventField> logon = who;
      logon.push_back({"LogonType", "2"});
      he.events.push_back(security_event(src, record, s.span.begin, 4624, host, logon));
      s.evidence.push_back({src, record++, false});
      he.events.push_back(security_event(src, record, day + 12 * kHour, 4800, host, who));
      const EvidenceRef lock{src, record++, false};
      he.events.push_back(security_event(src, record, day + 13 * kHour, 4801, host, who));
      const EvidenceRef unlock{src, record++, false};
      he.events.push_back(security_event(src, record, s.span.end, 4647, host, who));
      s.evidence.push_back({src, record++, false});
      s.idle.push_back({{day + 12 * kHour, day + 13 * kHour}, "locked", {lock, unlock}});
      tl.sessions.push_back(s);
      day_sessions.push_back(s.id);
      if (h % 3 == 0)
        tl.power_off.push_back({{day + 19 * kHour, day + kDay + 7 * kHour}, {}, "1074 shutdown -> 6005 boot"});
      if (h % 10 == 0 && d == 10)
        tl.uncovered.push_back({{day, day + kDay}, "record-gap", "EventRecordID " + std::to_string(record) + " -> " +
                                std::to_string(record + 4000) + " (3999 records missing)", {{src, record, false}}});
      // A night-time launch on about one day in eleven: nobody was logged on.
      if ((h + d) % 11 != 0 && !(h % 10 == 0 && d == 10)) continue;
      MeteringRow row;
      row.source = 0;
      row.line = line++;
      row.record_id = "LRT-" + std::to_string(row.line);
      row.user_raw = "CORP\\" + user;
      row.user = user;
      row.host_raw = host + ".corp.example";
      row.host = host;
      row.product_code = "ACD";
      row.version = "2026";
      row.start = day + 2 * kHour;
      row.end = day + 2 * kHour + 40 * kMinute;
      row.tokens = 7.0;
      row.category = "DESKTOP_PRODUCT";
      row.is_charge = true;
      r.rows.push_back(row);
      Finding f;
      f.id = "F" + std::to_string(100000 + r.results.findings.size());
      f.row = r.rows.size() - 1;
      f.evidence = {row.ref()};
      if (!tl.has_security_log || (h % 10 == 0 && d == 10)) {
        f.status = FindingStatus::InsufficientEvidence;
        f.rule = "background";
        f.confidence = Confidence::Medium;
        f.reason = "the window overlaps a span the Security log does not cover";
      } else {
        f.status = FindingStatus::Challenged;
        f.rule = "background";
        f.confidence = Confidence::High;
        f.tokens_challenged = 7.0;
        f.reason = h % 3 == 0 ? "host powered off" : "no interactive user logged on";
        if (d > 0) {
          f.session_ids.push_back(day_sessions[d - 1]);
          f.evidence.push_back(tl.sessions[d - 1].evidence.back());
        }
        f.session_ids.push_back(day_sessions[d]);
        f.evidence.push_back(tl.sessions[d].evidence.front());
      }
      r.results.findings.push_back(f);
      if (h % 7 == 0) {
        Finding note = f;
        note.id = "F" + std::to_string(100000 + r.results.findings.size());
        note.status = FindingStatus::Note;
        note.rule = "version-mismatch";
        note.confidence = Confidence::Low;
        note.tokens_challenged = 0;
        note.reason = "billed 2026, installed 2025";
        r.results.findings.push_back(note);
      }
    }
    tl.covered = {{day0, day0 + p.days * kDay}};
    tl.events_used = he.events.size();
    r.timelines.sessions += tl.sessions.size();
    r.timelines.events_used += he.events.size();
    r.events.counts.read += he.events.size() * 40;
    r.events.counts.relevant += he.events.size();
    r.events.counts.files += 2;
  }
  r.metering_files.push_back({0, "token-flex-csv", line - 2, line - 2, 0});
  return r;
}

// The largest page in one folder of the pack.
std::uintmax_t largest_page(const fs::path& folder, fs::path& which) {
  std::uintmax_t most = 0;
  if (!fs::is_directory(folder)) return 0;
  for (const auto& e : fs::directory_iterator(folder))
    if (e.is_regular_file() && e.file_size() > most) {
      most = e.file_size();
      which = e.path();
    }
  return most;
}

// One headless Chromium run on a copy of `page` (outside the pack) that ends with a one-line script:
// at the load event it forces layout and records performance.now(), the page's own clock from the
// start of navigation, which `--dump-dom` then prints. Wall time includes the browser's start.
struct BrowserTiming {
  double wall_s = 0;
  double layout_ms = -1;  // navigation start -> loaded, styled and laid out; -1 when not reported
};
BrowserTiming chromium_timing(const std::string& chromium, const fs::path& page, const fs::path& scratch) {
  std::ifstream in(page, std::ios::binary);
  std::string html((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string script =
      "<script>addEventListener('load',()=>{document.body.offsetHeight;"
      "document.documentElement.setAttribute('data-layout-ms',performance.now().toFixed(0))})</script>";
  const std::size_t body = html.rfind("</body>");
  html.insert(body == std::string::npos ? html.size() : body, script);
  const fs::path copy = scratch / ("timed-" + page.filename().string());
  std::ofstream(copy, std::ios::binary) << html;

  const std::string command = chromium + " --headless --disable-gpu --no-sandbox --dump-dom 'file://" +
                              fs::absolute(copy).string() + "' 2>/dev/null";
  BrowserTiming t;
  const auto t0 = std::chrono::steady_clock::now();
  FILE* out = popen(command.c_str(), "r");
  std::string dom;
  char buf[65536];
  for (std::size_t n; out && (n = std::fread(buf, 1, sizeof buf, out)) > 0;) dom.append(buf, n);
  if (out) pclose(out);
  t.wall_s = seconds_since(t0);
  const std::size_t at = dom.find("data-layout-ms=\"");
  if (at != std::string::npos) t.layout_ms = std::atof(dom.c_str() + at + 16);
  fs::remove(copy);
  return t;
}

}  // namespace

int main(int argc, char** argv) {
  Params p;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--hosts") p.hosts = std::atoi(value.c_str());
    else if (flag == "--days") p.days = std::atoi(value.c_str());
    else if (flag == "--out") p.out = value;
    else if (flag == "--chromium") p.chromium = value;
    else {
      std::fprintf(stderr, "usage: flexrecon_bench_dossier [--hosts N] [--days N] [--out DIR] [--chromium BIN]\n");
      return 2;
    }
  }
  if (p.out.empty()) p.out = (fs::temp_directory_path() / "flexrecon-bench-dossier").string();

  auto t0 = std::chrono::steady_clock::now();
  const ReconcileResult r = estate(p);
  std::size_t challenged = 0;
  for (const Finding& f : r.results.findings) challenged += f.status == FindingStatus::Challenged;
  std::printf("case: %d hosts x %d days, %zu sessions, %zu charges, %zu findings (%zu challenged), %zu sources (%.2f s)\n",
              p.hosts, p.days, static_cast<std::size_t>(r.timelines.sessions), r.rows.size(), r.results.findings.size(),
              challenged, r.sources.all().size(), seconds_since(t0));

  // The dossier alone, rendered and measured but not written: its share of write_pack below.
  t0 = std::chrono::steady_clock::now();
  std::size_t rendered = 0, rendered_bytes = 0;
  render_dossier(r, default_templates_dir(), [&](const std::string&, const std::string& html) {
    ++rendered;
    rendered_bytes += html.size();
  });
  std::printf("render_dossier: %.2f s (%zu pages, %.1f MB)\n", seconds_since(t0), rendered, rendered_bytes / 1e6);

  PackOptions pack;
  pack.out = p.out;
  pack.force = true;
  pack.templates_dir = default_templates_dir();
  t0 = std::chrono::steady_clock::now();
  write_pack(r, pack);
  std::printf("write_pack: %.2f s\n", seconds_since(t0));
  t0 = std::chrono::steady_clock::now();
  const PackCheck check = verify_pack(p.out);
  std::printf("verify_pack: %.2f s, %s\n", seconds_since(t0), check.ok() ? "verifies" : "DOES NOT VERIFY");

  std::size_t pages = 0;
  std::uintmax_t page_bytes = 0;
  for (const auto& e : fs::recursive_directory_iterator(p.out))
    if (e.is_regular_file() && e.path().extension() == ".html") {
      ++pages;
      page_bytes += e.file_size();
    }
  const fs::path index = fs::path(p.out) / "dossier.html";
  fs::path exhibit, appendix;
  const std::uintmax_t exhibit_bytes = largest_page(fs::path(p.out) / "exhibits", exhibit);
  const std::uintmax_t appendix_bytes = largest_page(fs::path(p.out) / "appendix", appendix);
  std::printf("dossier: %zu pages, %.1f MB in all; dossier.html %.2f MB; largest exhibit page %s %.2f MB; largest "
              "appendix page %s %.2f MB\n",
              pages, page_bytes / 1e6, fs::file_size(index) / 1e6, fs::relative(exhibit, p.out).c_str(),
              exhibit_bytes / 1e6, appendix_bytes ? fs::relative(appendix, p.out).c_str() : "(none)",
              appendix_bytes / 1e6);

  if (!p.chromium.empty()) {
    const fs::path scratch = fs::path(p.out).parent_path();
    const fs::path blank = scratch / "blank.html";
    std::ofstream(blank) << "<!DOCTYPE html><html><head><title>blank</title></head><body></body></html>\n";
    // Three runs: the first also brings the browser's own files into the page cache.
    for (int run = 1; run <= 3; ++run) {
      const BrowserTiming empty = chromium_timing(p.chromium, blank, scratch);
      const BrowserTiming index_t = chromium_timing(p.chromium, index, scratch);
      const BrowserTiming exhibit_t = chromium_timing(p.chromium, exhibit, scratch);
      BrowserTiming appendix_t;
      if (appendix_bytes) appendix_t = chromium_timing(p.chromium, appendix, scratch);
      std::printf("chromium run %d (load+layout in the page / wall incl. browser start): empty page %.0f ms / %.2f s, "
                  "dossier.html %.0f ms / %.2f s, largest exhibit page %.0f ms / %.2f s, largest appendix page "
                  "%.0f ms / %.2f s\n",
                  run, empty.layout_ms, empty.wall_s, index_t.layout_ms, index_t.wall_s, exhibit_t.layout_ms,
                  exhibit_t.wall_s, appendix_t.layout_ms, appendix_t.wall_s);
    }
    fs::remove(blank);
  }
  return check.ok() ? 0 : 1;
}
