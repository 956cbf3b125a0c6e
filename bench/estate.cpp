// flexrecon_estate: writes a generated estate, the input issue 9's scale targets are measured on.
//
//   flexrecon_estate --hosts N --days D [--seed S] --out DIR
//
// DIR/events/<host>/Security.xml, System.xml, LocalSessionManager.xml in `wevtutil qe LOG /f:xml`
// form (bare <Event> elements run together, single-quoted attributes, the real providers, GUIDs and
// channel names, Computer as an FQDN), DIR/metering.csv (Autodesk's LRT usage-report shape) and
// DIR/inventory.csv (an SCCM export). About 78 events per host and day of about 1.1 KB each.
//
// The estate is a simulation, not noise: each host has one user whose working days leave the events
// Windows writes (logon, UAC split tokens, DWM/UMFD logons, process creations, lunch locks with their
// unlock logons, logoff), services and backup jobs leave network and service logons, patch nights
// reboot the machine, a few machines crash, and RDP days leave the LocalSessionManager trail. The
// metering file is what a meter charging once per 24 hours of use would write, plus the disputed
// rows an audit is about: night-time background launches, launches under five minutes, second
// charges within 24 hours and charges split at midnight. A few hosts lose a stretch of Security
// records (a rolled log) and a few have no or mismatching inventory rows.
//
// Deterministic: the same arguments give byte-identical files. Each host draws from its own random
// stream seeded by (seed, host), each day of it from (seed, host, day), so a host's first 30 days
// are the same in a 30-day and a 120-day estate (what the peak-RSS ratio between them compares),
// except where the lost stretch falls (its day is drawn within --days) and at the end of the
// shorter export.
// Output is streamed: one host's events are held (a few thousand small records per month), files
// are written through 1 MiB buffers; nothing grows with the estate.
#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace fs = std::filesystem;

namespace {

// Time in 100 ns ticks since 1970-01-01 UTC: the resolution Windows writes in SystemTime.
using Ticks = std::int64_t;
constexpr Ticks kSec = 10'000'000;
constexpr Ticks kMin = 60 * kSec;
constexpr Ticks kHour = 60 * kMin;
constexpr Ticks kDay = 24 * kHour;
// Monday 2026-01-05 00:00 UTC: day 0 of every estate.
constexpr Ticks kEpochDay0 = 20458LL * kDay;

// splitmix64: small, fast and the same on every platform (std:: distributions are not).
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  Rng(std::uint64_t a, std::uint64_t b, std::uint64_t c = 0) : state_(a) {
    state_ = next() ^ (b * 0x9E3779B97F4A7C15ull);
    state_ = next() ^ (c * 0xC2B2AE3D27D4EB4Full);
  }
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  std::int64_t range(std::int64_t lo, std::int64_t hi) {  // inclusive
    return lo + static_cast<std::int64_t>(next() % static_cast<std::uint64_t>(hi - lo + 1));
  }
  bool chance(double p) { return static_cast<double>(next() >> 11) * 0x1.0p-53 < p; }
  template <class T, std::size_t N>
  const T& pick(const T (&a)[N]) { return a[next() % N]; }

 private:
  std::uint64_t state_;
};

void civil_from_days(std::int64_t z, int& y, unsigned& m, unsigned& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<int>(yoe + era * 400 + (m <= 2));
}

// A file written through a 1 MiB buffer.
class Out {
 public:
  explicit Out(const fs::path& path) : f_(std::fopen(path.c_str(), "wb")) {
    if (!f_) throw std::runtime_error("cannot write " + path.string());
    buf_.reserve(kFlushAt + 64 * 1024);
  }
  ~Out() { close(); }
  Out(const Out&) = delete;
  Out& operator=(const Out&) = delete;
  void close() {
    if (!f_) return;
    flush();
    std::fclose(f_);
    f_ = nullptr;
  }
  std::uint64_t bytes() const { return written_ + buf_.size(); }

  Out& s(std::string_view text) {
    buf_.append(text);
    if (buf_.size() >= kFlushAt) flush();
    return *this;
  }
  Out& u(std::uint64_t v) {
    char tmp[24];
    const auto r = std::to_chars(tmp, tmp + sizeof tmp, v);
    return s(std::string_view(tmp, static_cast<std::size_t>(r.ptr - tmp)));
  }
  Out& hex(std::uint64_t v) {
    char tmp[24];
    const auto r = std::to_chars(tmp, tmp + sizeof tmp, v, 16);
    return s("0x").s(std::string_view(tmp, static_cast<std::size_t>(r.ptr - tmp)));
  }
  // SystemTime as Windows writes it: 2026-01-05T08:30:12.1234567Z.
  Out& system_time(Ticks t) { return s(format_time(t, true, 'T')); }
  // Metering timestamps: 2026-01-05 08:30:12 (UTC, Autodesk's report form).
  Out& report_time(Ticks t) { return s(format_time(t, false, ' ')); }

  static std::string format_time(Ticks t, bool fraction, char sep) {
    const std::int64_t days = t / kDay;
    const Ticks in_day = t % kDay;
    int y;
    unsigned m, d;
    civil_from_days(days, y, m, d);
    char tmp[40];
    const auto secs = static_cast<unsigned>(in_day / kSec);
    int n = std::snprintf(tmp, sizeof tmp, "%04d-%02u-%02u%c%02u:%02u:%02u", y, m, d, sep, secs / 3600,
                          secs / 60 % 60, secs % 60);
    if (fraction) n += std::snprintf(tmp + n, sizeof tmp - static_cast<std::size_t>(n), ".%07lldZ",
                                     static_cast<long long>(in_day % kSec));
    return std::string(tmp, static_cast<std::size_t>(n));
  }

 private:
  static constexpr std::size_t kFlushAt = 1 << 20;
  void flush() {
    if (!buf_.empty() && std::fwrite(buf_.data(), 1, buf_.size(), f_) != buf_.size())
      throw std::runtime_error("write failed (disk full?)");
    written_ += buf_.size();
    buf_.clear();
  }
  std::FILE* f_;
  std::string buf_;
  std::uint64_t written_ = 0;
};

// ---------------------------------------------------------------------------------------------
// The accounts that appear on a host.

enum Who : std::uint8_t { kUser, kAdmin, kSvcBackup, kSvcSccm, kSvcAv, kMachine, kSystem, kDwm, kUmfd, kLocalService, kNetworkService };

struct Account {
  std::string name, domain, sid;
};

struct Host {
  int index = 0;
  std::string netbios;  // WS-00042
  std::string fqdn;     // WS-00042.corp.example
  std::string user;     // jsmith0042
  std::string email;    // jsmith0042@corp.example
  Account accounts[11];
  bool rdp_worker = false;     // works over RDP on some days (LocalSessionManager trail)
  bool has_admin_visits = false;
  bool elevated_user = false;  // a local admin: UAC split tokens and 4672 at logon
  int patch_weekday = 2;
  int gap_day = -1;            // a stretch of lost Security records on this day
  bool acad = true, revit = false;
  int inventory_kind = 0;      // 0 normal, 1 AutoCAD LT installed instead of AutoCAD, 2 no rows
};

const char* const kFirst = "ajmdskrtlnepcgbw";
const char* const kSurnames[] = {"smith", "jones", "brown", "garcia", "miller", "davis", "wilson", "moore",
                                 "taylor", "clark", "lewis", "walker", "young", "king", "wright", "scott",
                                 "green", "baker", "adams", "nelson", "hill", "carter", "mitchell", "perez"};
constexpr std::string_view kDomainSid = "S-1-5-21-3623811015-3361044348-30300820-";

Host make_host(std::uint64_t seed, int index, int days) {
  Rng r(seed, static_cast<std::uint64_t>(index) + 1);
  Host h;
  h.index = index;
  char name[16];
  std::snprintf(name, sizeof name, "WS-%05d", index + 1);
  h.netbios = name;
  h.fqdn = h.netbios + ".corp.example";
  char user[40];
  std::snprintf(user, sizeof user, "%c%s%04d", kFirst[r.next() % 16], r.pick(kSurnames), (index + 1) % 10000);
  h.user = user;
  h.email = h.user + "@corp.example";
  const std::string rid = std::to_string(5000 + index);
  std::string machine = h.netbios + "$";
  h.accounts[kUser] = {h.user, "CORP", std::string(kDomainSid) + rid};
  h.accounts[kAdmin] = {"adm_itops", "CORP", std::string(kDomainSid) + "1107"};
  h.accounts[kSvcBackup] = {"svc_backup", "CORP", std::string(kDomainSid) + "1203"};
  h.accounts[kSvcSccm] = {"svc_sccm", "CORP", std::string(kDomainSid) + "1204"};
  h.accounts[kSvcAv] = {"svc_avscan", "CORP", std::string(kDomainSid) + "1205"};
  h.accounts[kMachine] = {machine, "CORP", std::string(kDomainSid) + std::to_string(20000 + index)};
  h.accounts[kSystem] = {"SYSTEM", "NT AUTHORITY", "S-1-5-18"};
  h.accounts[kDwm] = {"DWM-1", "Window Manager", "S-1-5-90-0-1"};
  h.accounts[kUmfd] = {"UMFD-1", "Font Driver Host", "S-1-5-96-0-1"};
  h.accounts[kLocalService] = {"LOCAL SERVICE", "NT AUTHORITY", "S-1-5-19"};
  h.accounts[kNetworkService] = {"NETWORK SERVICE", "NT AUTHORITY", "S-1-5-20"};
  h.rdp_worker = r.chance(0.15);
  h.has_admin_visits = r.chance(0.10);
  h.elevated_user = r.chance(0.30);
  h.patch_weekday = static_cast<int>(r.range(1, 4));
  const int product = static_cast<int>(r.range(0, 99));
  h.acad = product < 75 || product >= 95;
  h.revit = product >= 70;
  const int inv = static_cast<int>(r.range(0, 99));
  h.inventory_kind = inv < 3 ? 1 : inv < 5 ? 2 : 0;
  if (r.chance(0.03))  // drawn from its own stream: the host's other draws do not depend on --days
    h.gap_day = static_cast<int>(Rng(seed, static_cast<std::uint64_t>(index) + 1, 0x6A9).range(1, std::max(1, days - 1)));
  return h;
}

// ---------------------------------------------------------------------------------------------
// One host's events, simulated first (small records), then sorted and rendered per channel.

enum Chan : std::uint8_t { kSecurity, kSystemLog, kLsm };

struct Ev {
  Ticks t = 0;
  std::uint16_t id = 0;
  Chan ch = kSecurity;
  std::uint8_t logon_type = 0;
  Who who = kUser;
  std::uint32_t aux = 0;       // process / service index, session id, clock shift in seconds
  std::uint64_t logon = 0;     // TargetLogonId (or SubjectLogonId)
  std::uint64_t linked = 0;    // TargetLinkedLogonId; 6008: the last-alive time
};

struct Charge {
  Ticks start = 0, end = 0;
  const char* code = "ACD";
};

struct Meter {  // per product: the last valid charge of the user (rolling 24 h)
  Ticks last = -kDay * 400;
};

class HostSim {
 public:
  HostSim(const Host& h, std::uint64_t seed, int days) : h_(h), seed_(seed), days_(days) {
    Rng r(seed, static_cast<std::uint64_t>(h.index) + 1, 0xB007);
    next_logon_ = 0x1000000 + static_cast<std::uint64_t>(r.range(0, 0xFFFFF)) * 16;
  }

  void run() {
    const Ticks start = kEpochDay0;
    boot(start + 5 * kMin, false, 0);  // the export starts at a boot before day 0's first events
    for (int d = 0; d < days_; ++d) day(d, kEpochDay0 + d * kDay);
    // Normal sorting puts one instant's events in generation order (logon before its 4672, ...).
    std::stable_sort(events_.begin(), events_.end(), [](const Ev& a, const Ev& b) { return a.t < b.t; });
  }

  std::vector<Ev> events_;
  std::vector<Charge> charges_;

 private:
  std::uint64_t logon_id(Rng& r) {
    next_logon_ += static_cast<std::uint64_t>(r.range(0x40, 0x9000));
    return next_logon_;
  }
  void add(Ticks t, Chan ch, int id, Who who = kSystem, int type = 0, std::uint64_t logon = 0,
           std::uint64_t linked = 0, std::uint32_t aux = 0) {
    Ev e;
    e.t = t;
    e.ch = ch;
    e.id = static_cast<std::uint16_t>(id);
    e.who = who;
    e.logon_type = static_cast<std::uint8_t>(type);
    e.logon = logon;
    e.linked = linked;
    e.aux = aux;
    events_.push_back(e);
  }

  // Boot: System 6009/6005 (+6008 and Kernel-Power 41 after a crash), Security 4608, services.
  void boot(Ticks t, bool after_crash, Ticks last_alive) {
    Rng r(seed_, static_cast<std::uint64_t>(h_.index) + 1, static_cast<std::uint64_t>(t));
    if (after_crash) {
      add(t, kSystemLog, 41, kSystem, 0, 0, 0, 0);
      add(t + 3 * kSec, kSystemLog, 6008, kSystem, 0, 0, static_cast<std::uint64_t>(last_alive));
    }
    add(t + 4 * kSec, kSystemLog, 6009);
    add(t + 4 * kSec, kSystemLog, 6005);
    add(t + 2 * kSec, kSecurity, 4608);
    for (int i = 0; i < 3; ++i) {
      const Who who = i == 0 ? kSystem : i == 1 ? kLocalService : kNetworkService;
      const std::uint64_t id = who == kSystem ? 0x3e7 : who == kLocalService ? 0x3e5 : 0x3e4;
      add(t + (6 + i) * kSec, kSecurity, 4624, who, 5, id);
      add(t + (6 + i) * kSec, kSecurity, 4672, who, 0, id);
    }
    for (int i = 0; i < 6; ++i) add(t + (10 + i * 3) * kSec + r.range(0, kSec), kSystemLog, 7036, kSystem, 0, 0, 0, static_cast<std::uint32_t>(r.range(0, 15) * 2));
    open_session_ = false;  // a logon session cannot survive a reboot
  }

  void clean_restart(Ticks t, Rng& r) {
    add(t, kSystemLog, 1074, kSystem, 0, 0, 0, static_cast<std::uint32_t>(r.range(0, 1)));
    if (r.chance(0.3)) add(t + 20 * kSec, kSecurity, 4609);
    add(t + 21 * kSec, kSecurity, 1100);
    add(t + 22 * kSec, kSystemLog, 6006);
    boot(t + r.range(60, 180) * kSec, false, 0);
  }

  void background_day(Ticks day, Rng& r) {
    // Network logons: backup, SCCM, AV scanner and the machine account, each with its logoff.
    const int pairs = static_cast<int>(r.range(12, 18));
    for (int i = 0; i < pairs; ++i) {
      const Who who = static_cast<Who>(kSvcBackup + r.range(0, 3));
      const Ticks t = day + r.range(0, kDay / kSec - 600) * kSec + r.range(0, kSec);
      const std::uint64_t id = logon_id(r);
      add(t, kSecurity, 4624, who, 3, id);
      if (who == kSvcBackup) add(t, kSecurity, 4672, who, 0, id);
      add(t + r.range(1, 300) * kSec, kSecurity, 4634, who, 3, id);
    }
    // Service logons and the processes services start.
    const int services = static_cast<int>(r.range(3, 6));
    for (int i = 0; i < services; ++i) {
      const Ticks t = day + r.range(0, kDay / kSec - 60) * kSec + r.range(0, kSec);
      add(t, kSecurity, 4624, kSystem, 5, 0x3e7);
      add(t, kSecurity, 4672, kSystem, 0, 0x3e7);
      add(t + r.range(1, 5) * kSec, kSecurity, 4688, kSystem, 0, 0x3e7, 0, static_cast<std::uint32_t>(8 + r.range(0, 3)));
    }
    const int changes = static_cast<int>(r.range(8, 14));
    for (int i = 0; i < changes; ++i)
      add(day + r.range(0, kDay / kSec - 1) * kSec + r.range(0, kSec), kSystemLog, 7036, kSystem, 0, 0, 0,
          static_cast<std::uint32_t>(r.range(0, 31)));
    if (r.chance(0.04)) {  // time service corrects the clock by a few seconds
      add(day + r.range(0, kDay / kSec - 1) * kSec, kSecurity, 4616, kLocalService, 0, 0x3e5, 0,
          static_cast<std::uint32_t>(r.range(1, 40)));
    }
  }

  void charge(Ticks start, Ticks end, const char* code, Meter& m, bool counts) {
    charges_.push_back({start, end, code});
    if (counts) m.last = start;
  }

  // The meter for one launch: charged when 24 h have passed since the last valid charge, or as
  // soon as they pass while the product is still open.
  void launch(Ticks start, Ticks end, const char* code, Meter& m, Rng& r) {
    if (start - m.last >= kDay) {
      const bool short_run = r.chance(0.02);
      charge(start, short_run ? start + r.range(60, 280) * kSec : end, code, m, true);
    } else if (m.last + kDay < end) {
      charge(m.last + kDay, end, code, m, true);
    }
  }

  void human_day(Ticks day, Rng& r) {
    const bool fresh_rdp = h_.rdp_worker && r.chance(0.35);
    const int fresh_type = fresh_rdp ? 10 : (r.chance(0.08) ? 11 : 2);
    // A session left locked overnight goes on as it began (a console session).
    const bool rdp = open_session_ ? false : fresh_rdp;
    const int type = open_session_ ? open_type_ : fresh_type;
    const Ticks in = day + 7 * kHour + 30 * kMin + r.range(0, 120 * 60) * kSec + r.range(0, kSec);
    const bool late = r.chance(0.04);
    Ticks out = late ? day + 21 * kHour + r.range(0, 270 * 60) * kSec
                     : day + 16 * kHour + 30 * kMin + r.range(0, 120 * 60) * kSec;
    out += r.range(0, kSec);
    const std::uint32_t session_id = rdp ? static_cast<std::uint32_t>(r.range(2, 9)) : 1;

    std::uint64_t id = 0, linked = 0;
    if (open_session_) {
      // The session left locked overnight: the morning starts with an unlock.
      id = open_logon_;
      linked = open_linked_;
      unlock(in, id, r);
    } else {
      id = logon_id(r);
      if (type != 10) {
        add(in - 2 * kSec, kSecurity, 4624, kUmfd, 2, logon_id(r));
        add(in - kSec, kSecurity, 4624, kDwm, 2, logon_id(r));
      }
      // LocalSessionManager logs console logons too (Address LOCAL), RDP ones with the client.
      add(in - 3 * kSec, kLsm, 21, kUser, rdp ? 10 : 2, 0, 0, session_id);
      add(in + 2 * kSec, kLsm, 22, kUser, rdp ? 10 : 2, 0, 0, session_id);
      if (h_.elevated_user) {  // UAC: a second, elevated token; each names the other as linked
        linked = logon_id(r);
        add(in, kSecurity, 4624, kUser, type, id, linked);
        add(in, kSecurity, 4624, kUser, type, linked, id, 1);
        add(in, kSecurity, 4672, kUser, 0, linked);
      } else {
        add(in, kSecurity, 4624, kUser, type, id);
      }
    }
    const int processes = static_cast<int>(r.range(9, 16));
    for (int i = 0; i < processes; ++i)
      add(in + r.range(10, (out - in) / kSec - 10) * kSec, kSecurity, 4688, kUser, 0, id, 0,
          static_cast<std::uint32_t>(r.range(0, 7)));
    // Lunch: locked on a workstation, disconnected on RDP.
    Ticks lunch = 0, back = 0;
    if (r.chance(0.75)) {
      lunch = day + 11 * kHour + 45 * kMin + r.range(0, 75 * 60) * kSec;
      back = lunch + r.range(20 * 60, 70 * 60) * kSec;
      if (rdp) {
        add(lunch, kSecurity, 4779, kUser, 0, id, 0, session_id);
        add(lunch + kSec, kLsm, 24, kUser, 0, 0, 0, session_id);
        add(back, kLsm, 25, kUser, 0, 0, 0, session_id);
        add(back + kSec, kSecurity, 4778, kUser, 0, id, 0, session_id);
      } else {
        add(lunch, kSecurity, 4800, kUser, 0, id, 0, session_id);
        unlock(back, id, r);
      }
    }
    if (!rdp && r.chance(0.25)) {  // a short afternoon lock
      const Ticks t = day + 14 * kHour + r.range(0, 90 * 60) * kSec;
      add(t, kSecurity, 4800, kUser, 0, id, 0, session_id);
      unlock(t + r.range(120, 900) * kSec, id, r);
    }
    if (h_.has_admin_visits && r.chance(0.15)) {  // IT support over RDP: another human on the host
      const Ticks t = day + 10 * kHour + r.range(0, 5 * 3600) * kSec;
      const std::uint64_t aid = logon_id(r);
      add(t, kSecurity, 4624, kAdmin, 10, aid);
      add(t, kSecurity, 4672, kAdmin, 0, aid);
      add(t + r.range(300, 1800) * kSec, kSecurity, 4647, kAdmin, 0, aid);
      add(t + r.range(1801, 1810) * kSec, kSecurity, 4634, kAdmin, 10, aid);
    }

    // The working day's launches: one in the morning, a relaunch after lunch on some days.
    const Ticks app_start = in + r.range(120, 1200) * kSec;
    Meter* meters[2] = {h_.acad ? &acad_ : nullptr, h_.revit ? &revit_ : nullptr};
    const char* codes[2] = {"ACD", "RVT"};
    for (int p = 0; p < 2; ++p) {
      if (!meters[p]) continue;
      const Ticks s = app_start + p * r.range(600, 7200) * kSec;
      if (s >= out) continue;
      launch(s, out - r.range(60, 600) * kSec, codes[p], *meters[p], r);
      if (r.chance(0.02)) {  // disputed: a second charge within 24 hours of a valid one
        const Ticks again = s + r.range(3 * 3600, 6 * 3600) * kSec;
        if (again + 10 * kMin < out) charge(again, out - kMin, codes[p], *meters[p], false);
      }
    }
    // A late evening that runs past midnight: the meter may split the charge at 00:00 UTC.
    const Ticks midnight = day + kDay;
    if (late && out > midnight + 2 * kMin) {
      const int p = meters[0] ? 0 : 1;
      if (r.chance(0.6)) charge(midnight + r.range(2, 50) * kSec, out - kMin, codes[p], *meters[p], false);
    }

    // Evening: log off, or lock and leave the session for the morning.
    if (!late && r.chance(0.15) && !rdp) {
      add(out, kSecurity, 4800, kUser, 0, id, 0, session_id);
      open_session_ = true;
      open_logon_ = id;
      open_linked_ = linked;
      open_type_ = type;
    } else {
      add(out - 2 * kSec, kLsm, 23, kUser, 0, 0, 0, session_id);
      add(out, kSecurity, 4647, kUser, 0, id);
      add(out + r.range(1, 3) * kSec, kSecurity, 4634, kUser, type, id);
      if (linked) add(out + r.range(1, 3) * kSec, kSecurity, 4634, kUser, type, linked);
      open_session_ = false;
    }
  }

  void unlock(Ticks t, std::uint64_t id, Rng& r) {
    // Windows logs the unlock's own short logon (type 7) around the 4801.
    const std::uint64_t u = logon_id(r);
    add(t, kSecurity, 4624, kUser, 7, u);
    add(t + kSec / 2, kSecurity, 4801, kUser, 0, id, 0, 1);
    add(t + r.range(1, 4) * kSec, kSecurity, 4634, kUser, 7, u);
  }

  void day(int d, Ticks day) {
    Rng r(seed_, static_cast<std::uint64_t>(h_.index) + 1, static_cast<std::uint64_t>(d) + 0x1000);
    const int weekday = d % 7;  // day 0 is a Monday
    const bool workday = weekday < 5;
    // Night: patch reboot on the host's patch night, or (rarely) a crash.
    if (weekday == h_.patch_weekday && r.chance(0.8)) {
      clean_restart(day + 3 * kHour + r.range(0, 1800) * kSec, r);
    } else if (r.chance(0.01)) {
      const Ticks crash = day + 2 * kHour + r.range(0, 3600) * kSec;
      boot(crash + r.range(60, 300) * kSec, true, crash);
    }
    // Disputed: a background launch at night charged while nobody worked on the machine.
    if (r.chance(0.025)) {
      const Ticks t = day + kHour + r.range(0, 4 * 3600) * kSec;
      charge(t, t + r.range(20, 120) * kMin, h_.acad ? "ACD" : "RVT", h_.acad ? acad_ : revit_, true);
    }
    background_day(day, r);
    if (workday ? r.chance(0.92) : r.chance(0.04)) human_day(day, r);
  }

  const Host& h_;
  std::uint64_t seed_;
  int days_;
  std::uint64_t next_logon_ = 0;
  bool open_session_ = false;
  std::uint64_t open_logon_ = 0, open_linked_ = 0;
  int open_type_ = 2;
  Meter acad_, revit_;
};

// ---------------------------------------------------------------------------------------------
// Rendering, in the shape `wevtutil qe /f:xml` writes.

struct Provider {
  std::string_view name, guid, source;  // source: EventSourceName, classic providers only
};
constexpr Provider kSecurityAuditing{"Microsoft-Windows-Security-Auditing", "{54849625-5478-4994-a5ba-3e3b0328c30d}", ""};
constexpr Provider kEventlog{"Microsoft-Windows-Eventlog", "{fc65ddd8-d6ef-4962-83d5-6e5cfe9ce148}", ""};
constexpr Provider kEventLogClassic{"EventLog", "", "EventLog"};
constexpr Provider kUser32{"User32", "{b0aa8734-56f7-41cc-b2f4-de228e98b946}", "User32"};
constexpr Provider kScm{"Service Control Manager", "{555908d1-a6d7-4695-8e1e-26931d2012f4}", "Service Control Manager"};
constexpr Provider kKernelPower{"Microsoft-Windows-Kernel-Power", "{331c3b3a-2005-44c2-ac5e-77220c37d6b4}", ""};
constexpr Provider kLsmProvider{"Microsoft-Windows-TerminalServices-LocalSessionManager", "{5d896912-022d-40aa-a3a8-4fa5515c76d7}", ""};
constexpr std::string_view kLsmChannel = "Microsoft-Windows-TerminalServices-LocalSessionManager/Operational";

const char* const kUserProcesses[] = {
    "C:\\Windows\\explorer.exe", "C:\\Program Files\\Autodesk\\AutoCAD 2025\\acad.exe",
    "C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE", "C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe",
    "C:\\Program Files\\Autodesk\\Revit 2025\\Revit.exe", "C:\\Windows\\System32\\notepad.exe",
    "C:\\Program Files\\Microsoft Office\\root\\Office16\\EXCEL.EXE", "C:\\Windows\\System32\\cmd.exe",
    "C:\\Windows\\System32\\svchost.exe", "C:\\Windows\\System32\\taskhostw.exe",
    "C:\\Windows\\System32\\wbem\\WmiPrvSE.exe", "C:\\Windows\\System32\\SearchIndexer.exe"};
const char* const kServices[] = {"Windows Update", "Background Intelligent Transfer Service", "Windows Modules Installer",
                                 "Microsoft Defender Antivirus Service", "Windows Error Reporting Service", "Print Spooler",
                                 "WinHTTP Web Proxy Auto-Discovery Service", "Delivery Optimization",
                                 "Windows License Manager Service", "Autodesk Desktop Licensing Service",
                                 "Software Protection", "Network Setup Service", "Device Setup Manager",
                                 "Windows Installer", "Microsoft Store Install Service", "Windows Biometric Service"};

class Renderer {
 public:
  Renderer(const Host& h, Out& out) : h_(h), o_(out) {}

  void event(const Ev& e, std::uint64_t record) {
    switch (e.ch) {
      case kSecurity: security(e, record); break;
      case kSystemLog: system(e, record); break;
      case kLsm: lsm(e, record); break;
    }
  }

 private:
  void header(const Provider& p, const Ev& e, std::uint64_t record, int version, int level, int task,
              std::string_view keywords, std::string_view channel, std::string_view qualifiers = {},
              std::uint32_t pid = 0, std::string_view security_user = {}) {
    o_.s("<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='").s(p.name);
    if (!p.guid.empty()) o_.s("' Guid='").s(p.guid);
    if (!p.source.empty()) o_.s("' EventSourceName='").s(p.source);
    o_.s("'/><EventID");
    if (!qualifiers.empty()) o_.s(" Qualifiers='").s(qualifiers).s("'");
    o_.s(">").u(e.id).s("</EventID><Version>").u(static_cast<std::uint64_t>(version)).s("</Version><Level>")
        .u(static_cast<std::uint64_t>(level)).s("</Level><Task>").u(static_cast<std::uint64_t>(task))
        .s("</Task><Opcode>0</Opcode><Keywords>").s(keywords).s("</Keywords><TimeCreated SystemTime='")
        .system_time(e.t).s("'/><EventRecordID>").u(record).s("</EventRecordID><Correlation");
    if (e.ch == kSecurity && e.id == 4624)  // logon events carry the logon's ActivityID
      o_.s(" ActivityID='{b2a1c9e4-53c1-0004-f0c9-a1b2c153d901}'");
    o_.s("/><Execution ProcessID='").u(pid ? pid : 788).s("' ThreadID='").u(800 + (record * 7919) % 9000)
        .s("'/><Channel>").s(channel).s("</Channel><Computer>").s(h_.fqdn).s("</Computer>");
    if (security_user.empty()) o_.s("<Security/>");
    else o_.s("<Security UserID='").s(security_user).s("'/>");
    o_.s("</System>");
  }
  void data(std::string_view name, std::string_view value) {
    o_.s("<Data Name='").s(name).s("'>").s(value).s("</Data>");
  }
  void data_hex(std::string_view name, std::uint64_t value) {
    o_.s("<Data Name='").s(name).s("'>").hex(value).s("</Data>");
  }
  void data_u(std::string_view name, std::uint64_t value) {
    o_.s("<Data Name='").s(name).s("'>").u(value).s("</Data>");
  }
  const Account& who(const Ev& e) const { return h_.accounts[e.who]; }
  void subject_system() {
    data("SubjectUserSid", "S-1-5-18");
    data("SubjectUserName", h_.accounts[kMachine].name);
    data("SubjectDomainName", "CORP");
    data("SubjectLogonId", "0x3e7");
  }
  void subject(const Ev& e) {
    data("SubjectUserSid", who(e).sid);
    data("SubjectUserName", who(e).name);
    data("SubjectDomainName", who(e).domain);
    data_hex("SubjectLogonId", e.logon);
  }
  void target(const Ev& e) {
    data("TargetUserSid", who(e).sid);
    data("TargetUserName", who(e).name);
    data("TargetDomainName", who(e).domain);
    data_hex("TargetLogonId", e.logon);
  }

  void security(const Ev& e, std::uint64_t record) {
    switch (e.id) {
      case 4608:
      case 4609:
        header(kSecurityAuditing, e, record, 0, 0, 12288, "0x8020000000000000", "Security", {}, 4);
        o_.s("<EventData></EventData></Event>");
        return;
      case 1100:
        header(kEventlog, e, record, 0, 4, 103, "0x4020000000000000", "Security", {}, 1316);
        o_.s("<UserData><ServiceShutdown xmlns='http://manifests.microsoft.com/win/2004/08/windows/eventlog'></ServiceShutdown></UserData></Event>");
        return;
      case 4616: {
        header(kSecurityAuditing, e, record, 1, 0, 12288, "0x8020000000000000", "Security", {}, 4);
        o_.s("<EventData>");
        subject(e);
        const Ticks previous = e.t - static_cast<Ticks>(e.aux) * kSec;
        data("PreviousTime", Out::format_time(previous, true, 'T'));
        data("NewTime", Out::format_time(e.t, true, 'T'));
        data("ProcessId", "0x4b4");
        data("ProcessName", "C:\\Windows\\System32\\svchost.exe");
        o_.s("</EventData></Event>");
        return;
      }
      case 4624: logon(e, record); return;
      case 4634:
        header(kSecurityAuditing, e, record, 0, 0, 12545, "0x8020000000000000", "Security");
        o_.s("<EventData>");
        target(e);
        data_u("LogonType", e.logon_type);
        o_.s("</EventData></Event>");
        return;
      case 4647:
        header(kSecurityAuditing, e, record, 0, 0, 12545, "0x8020000000000000", "Security");
        o_.s("<EventData>");
        target(e);
        o_.s("</EventData></Event>");
        return;
      case 4672:
        header(kSecurityAuditing, e, record, 0, 0, 12548, "0x8020000000000000", "Security");
        o_.s("<EventData>");
        subject(e);
        data("PrivilegeList", e.who == kUser || e.who == kAdmin
                                  ? "SeSecurityPrivilege\r\n\t\t\tSeTakeOwnershipPrivilege\r\n\t\t\tSeLoadDriverPrivilege\r\n\t\t\tSeBackupPrivilege\r\n\t\t\tSeRestorePrivilege\r\n\t\t\tSeDebugPrivilege\r\n\t\t\tSeSystemEnvironmentPrivilege\r\n\t\t\tSeImpersonatePrivilege\r\n\t\t\tSeDelegateSessionUserImpersonatePrivilege"
                                  : "SeAssignPrimaryTokenPrivilege\r\n\t\t\tSeTcbPrivilege\r\n\t\t\tSeSecurityPrivilege\r\n\t\t\tSeBackupPrivilege\r\n\t\t\tSeRestorePrivilege\r\n\t\t\tSeAuditPrivilege\r\n\t\t\tSeImpersonatePrivilege");
        o_.s("</EventData></Event>");
        return;
      case 4688: {
        header(kSecurityAuditing, e, record, 2, 0, 13312, "0x8020000000000000", "Security");
        o_.s("<EventData>");
        subject(e);
        const auto pid = 0x1000 + (record * 4) % 0xE000;
        data_hex("NewProcessId", pid);
        data("NewProcessName", kUserProcesses[e.aux % 12]);
        data("TokenElevationType", e.who == kUser ? "%%1938" : "%%1936");
        data_hex("ProcessId", 0x1a0c + e.aux * 4);
        data("CommandLine", "");
        data("TargetUserSid", "S-1-0-0");
        data("TargetUserName", "-");
        data("TargetDomainName", "-");
        data("TargetLogonId", "0x0");
        data("ParentProcessName", e.who == kUser ? "C:\\Windows\\explorer.exe" : "C:\\Windows\\System32\\services.exe");
        data("MandatoryLabel", e.who == kUser ? "S-1-16-8192" : "S-1-16-16384");
        o_.s("</EventData></Event>");
        return;
      }
      case 4778:
      case 4779:
        header(kSecurityAuditing, e, record, 0, 0, 12551, "0x8020000000000000", "Security");
        o_.s("<EventData>");
        data("AccountName", who(e).name);
        data("AccountDomain", who(e).domain);
        data_hex("LogonID", e.logon);
        data("SessionName", "RDP-Tcp#" + std::to_string(e.aux + 10));
        data("ClientName", "HOME-PC");
        data("ClientAddress", "10.44.0." + std::to_string(h_.index % 250 + 2));
        o_.s("</EventData></Event>");
        return;
      case 4800:
      case 4801:
        header(kSecurityAuditing, e, record, 0, 0, 12551, "0x8020000000000000", "Security");
        o_.s("<EventData>");
        target(e);
        data_u("SessionId", e.aux);
        o_.s("</EventData></Event>");
        return;
      default: throw std::logic_error("no rendering for Security event " + std::to_string(e.id));
    }
  }

  void logon(const Ev& e, std::uint64_t record) {
    header(kSecurityAuditing, e, record, 2, 0, 12544, "0x8020000000000000", "Security");
    o_.s("<EventData>");
    const bool network = e.logon_type == 3;
    const bool interactive = e.logon_type == 2 || e.logon_type == 7 || e.logon_type == 10 || e.logon_type == 11;
    if (network) {
      data("SubjectUserSid", "S-1-0-0");
      data("SubjectUserName", "-");
      data("SubjectDomainName", "-");
      data("SubjectLogonId", "0x0");
    } else {
      subject_system();
    }
    target(e);
    data_u("LogonType", e.logon_type);
    data("LogonProcessName", network ? "Kerberos" : interactive ? "User32 " : "Advapi  ");
    data("AuthenticationPackageName", network ? "Kerberos" : "Negotiate");
    data("WorkstationName", network ? "-" : h_.netbios);
    data("LogonGuid", network ? "{8d9e2f1a-5c3b-4e7d-9a1f-0b2c3d4e5f60}" : "{00000000-0000-0000-0000-000000000000}");
    data("TransmittedServices", "-");
    data("LmPackageName", "-");
    data("KeyLength", "0");
    data("ProcessId", network ? "0x0" : interactive ? "0x3a8" : "0x2f4");
    data("ProcessName", network ? "-" : interactive ? "C:\\Windows\\System32\\svchost.exe" : "C:\\Windows\\System32\\services.exe");
    data("IpAddress", network ? "10.20." + std::to_string(e.who) + "." + std::to_string(10 + e.logon % 200)
                              : e.logon_type == 10 ? "10.44.0." + std::to_string(h_.index % 250 + 2) : "127.0.0.1");
    data("IpPort", network ? std::to_string(49152 + e.logon % 16000) : "0");
    data("ImpersonationLevel", "%%1833");
    data("RestrictedAdminMode", e.logon_type == 10 ? "%%1843" : "-");
    data("TargetOutboundUserName", "-");
    data("TargetOutboundDomainName", "-");
    data("VirtualAccount", "%%1843");
    data_hex("TargetLinkedLogonId", e.linked);
    // The UAC pair's elevated half is the one logged second (aux 1); services run elevated.
    const bool elevated = e.aux == 1 || e.who == kSystem || e.who == kLocalService || e.who == kNetworkService ||
                          e.who == kSvcBackup || e.who == kAdmin;
    data("ElevatedToken", elevated ? "%%1842" : "%%1843");
    o_.s("</EventData></Event>");
  }

  void system(const Ev& e, std::uint64_t record) {
    switch (e.id) {
      case 6005:
      case 6006:
      case 6009:
        header(kEventLogClassic, e, record, 0, 4, 0, "0x80000000000000", "System", "32768", 0);
        if (e.id == 6009) {
          o_.s("<EventData><Data>10.00.</Data><Data>19045</Data><Data>Multiprocessor Free</Data><Data>0</Data></EventData></Event>");
        } else {
          o_.s("<EventData></EventData></Event>");
        }
        return;
      case 6008: {
        header(kEventLogClassic, e, record, 0, 2, 0, "0x80000000000000", "System", "32768", 0);
        const std::string alive = Out::format_time(static_cast<Ticks>(e.linked), false, ' ');
        o_.s("<EventData><Data>").s(alive.substr(11, 8)).s("</Data><Data>").s(alive.substr(0, 10))
            .s("</Data><Data></Data><Data></Data><Data>1234</Data><Data></Data><Data></Data></EventData></Event>");
        return;
      }
      case 1074:
        header(kUser32, e, record, 0, 4, 0, "0x8080000000000000", "System", "32768", 1240, "S-1-5-18");
        o_.s("<EventData>");
        data("param1", e.aux ? "C:\\Windows\\servicing\\TrustedInstaller.exe (" + h_.netbios + ")"
                             : "C:\\Windows\\System32\\svchost.exe (" + h_.netbios + ")");
        data("param2", h_.netbios);
        data("param3", "Operating System: Upgrade (Planned)");
        data("param4", "0x80020011");
        data("param5", "restart");
        data("param6", "");
        data("param7", "NT AUTHORITY\\SYSTEM");
        o_.s("</EventData></Event>");
        return;
      case 41:
        header(kKernelPower, e, record, 8, 1, 63, "0x8000400000000002", "System", {}, 4, "S-1-5-18");
        o_.s("<EventData>");
        data("BugcheckCode", "0");
        data("BugcheckParameter1", "0x0");
        data("BugcheckParameter2", "0x0");
        data("BugcheckParameter3", "0x0");
        data("BugcheckParameter4", "0x0");
        data("SleepInProgress", "0");
        data("PowerButtonTimestamp", "0");
        data("BootAppStatus", "0");
        data("Checkpoint", "0");
        data("ConnectedStandbyInProgress", "false");
        data("SystemSleepTransitionsToOn", "0");
        data("CsEntryScenarioInstanceId", "0");
        data("BugcheckInfoFromEFI", "false");
        data("CheckpointStatus", "0");
        o_.s("</EventData></Event>");
        return;
      case 7036: {
        header(kScm, e, record, 0, 4, 0, "0x8080000000000000", "System", "16384", 780);
        o_.s("<EventData>");
        data("param1", kServices[(e.aux / 2) % 16]);
        data("param2", e.aux % 2 ? "stopped" : "running");
        o_.s("<Binary>").s(e.aux % 2 ? "770075006100750073007600630000000000" : "420049005400530000000000").s("</Binary></EventData></Event>");
        return;
      }
      default: throw std::logic_error("no rendering for System event " + std::to_string(e.id));
    }
  }

  void lsm(const Ev& e, std::uint64_t record) {
    header(kLsmProvider, e, record, 0, 4, 0, "0x1000000000000000", kLsmChannel, {}, 1020, "S-1-5-18");
    o_.s("<UserData><EventXML xmlns='Event_NS'><User>CORP\\").s(h_.user).s("</User><SessionID>").u(e.aux)
        .s("</SessionID>");
    const bool remote = e.logon_type == 10 || e.id == 24 || e.id == 25;
    if (e.id != 23 && remote) o_.s("<Address>10.44.0.").u(static_cast<std::uint64_t>(h_.index % 250 + 2)).s("</Address>");
    if (e.id != 23 && !remote) o_.s("<Address>LOCAL</Address>");
    o_.s("</EventXML></UserData></Event>");
  }

  const Host& h_;
  Out& o_;
};

// ---------------------------------------------------------------------------------------------

struct Totals {
  std::uint64_t events = 0, bytes = 0, charges = 0, hosts = 0;
};

void write_host(const Host& h, std::uint64_t seed, int days, const fs::path& events_dir, Out& metering,
                Out& inventory, std::uint64_t& next_charge_id, Totals& totals) {
  HostSim sim(h, seed, days);
  sim.run();
  const fs::path dir = events_dir / h.netbios;
  fs::create_directories(dir);
  Rng r(seed, static_cast<std::uint64_t>(h.index) + 1, 0xEC0);
  // Exports start mid-log (the log rolled long ago): record ids start high, per channel.
  std::uint64_t next_record[3] = {static_cast<std::uint64_t>(r.range(100000, 4000000)),
                                  static_cast<std::uint64_t>(r.range(10000, 90000)),
                                  static_cast<std::uint64_t>(r.range(100, 900))};
  const Ticks gap_from = h.gap_day >= 0 ? kEpochDay0 + h.gap_day * kDay + 9 * kHour : 0;
  const Ticks gap_to = gap_from + r.range(2, 6) * kHour;
  {
    Out security(dir / "Security.xml"), system(dir / "System.xml"), lsm(dir / "LocalSessionManager.xml");
    Out* outs[3] = {&security, &system, &lsm};
    Renderer renderers[3] = {Renderer(h, security), Renderer(h, system), Renderer(h, lsm)};
    for (const Ev& e : sim.events_) {
      const std::uint64_t record = next_record[e.ch]++;
      // A stretch of lost Security records: their ids are used, the events are gone.
      if (e.ch == kSecurity && h.gap_day >= 0 && e.t >= gap_from && e.t < gap_to) continue;
      renderers[e.ch].event(e, record);
      ++totals.events;
    }
    for (Out* o : outs) {
      o->s("\r\n");
      totals.bytes += o->bytes();
      o->close();
    }
  }

  for (const Charge& c : sim.charges_) {
    const bool revit = std::string_view(c.code) == "RVT";
    const bool by_email = h.index % 9 == 4;
    const bool fqdn = h.index % 13 == 7;
    const long long minutes = (c.end - c.start) / kMin;
    metering.s("\"LRT-").u(next_charge_id++).s("\",\"").s(by_email ? h.email : "CORP\\" + h.user).s("\",\"")
        .s(fqdn ? h.fqdn : h.netbios).s("\",\"").s(c.code).s("\",\"").s(revit ? "Revit" : "AutoCAD")
        .s("\",\"2025\",\"").report_time(c.start).s("\",\"").report_time(c.end).s("\",\"")
        .u(static_cast<std::uint64_t>(minutes)).s("\",\"").s(revit ? "10.0" : "7.0").s("\",\"DESKTOP_PRODUCT\",\r\n");
    ++totals.charges;
  }

  // SCCM: Autodesk products (and some others); a few hosts disagree with what is billed.
  const std::string row = h.netbios + ",";
  if (h.inventory_kind != 2) {
    if (h.acad)
      inventory.s(row).s(h.inventory_kind == 1 ? "Autodesk AutoCAD LT 2025 - English,25.0.58.0,20250310\r\n"
                                               : "Autodesk AutoCAD 2025 - English,25.0.58.0,20250310\r\n");
    if (h.revit) inventory.s(row).s("Revit 2025,25.1.10.28,20250402\r\n");
    inventory.s(row).s("Microsoft Office Professional Plus 2021,16.0.14332.20447,20240112\r\n");
    inventory.s(row).s("7-Zip 23.01 (x64),23.01,20240201\r\n");
  }
  ++totals.hosts;
}

int usage() {
  std::fprintf(stderr, "usage: flexrecon_estate --hosts N --days D [--seed S] --out DIR\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  long hosts = 0, days = 0;
  std::uint64_t seed = 1;
  std::string out;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (i + 1 >= argc) return usage();
    const char* v = argv[++i];
    if (a == "--hosts") hosts = std::strtol(v, nullptr, 10);
    else if (a == "--days") days = std::strtol(v, nullptr, 10);
    else if (a == "--seed") seed = std::strtoull(v, nullptr, 10);
    else if (a == "--out") out = v;
    else return usage();
  }
  if (hosts <= 0 || hosts > 99999 || days <= 0 || days > 3660 || out.empty()) return usage();
  try {
    const fs::path dir(out);
    fs::create_directories(dir / "events");
    Out metering(dir / "metering.csv");
    Out inventory(dir / "inventory.csv");
    metering.s("\"chargedItemID\",\"userName\",\"machineName\",\"productLineCode\",\"productName\",\"productVersion\","
               "\"sessionStartDate\",\"sessionEndDate\",\"sessionDurationMinutes\",\"tokensConsumed\",\"usageCategory\",\r\n");
    inventory.s("Netbios_Name0,ARPDisplayName0,Version0,InstallDate0\r\n");
    Totals totals;
    std::uint64_t next_charge_id = 100001;
    for (int i = 0; i < hosts; ++i) {
      const Host h = make_host(seed, i, static_cast<int>(days));
      write_host(h, seed, static_cast<int>(days), dir / "events", metering, inventory, next_charge_id, totals);
    }
    metering.close();
    inventory.close();
    std::printf("estate: %llu hosts x %ld days, %llu events, %.1f MB of event XML (%.0f bytes/event, %.1f events/host-day), %llu metering rows -> %s\n",
                static_cast<unsigned long long>(totals.hosts), days, static_cast<unsigned long long>(totals.events),
                static_cast<double>(totals.bytes) / 1e6, static_cast<double>(totals.bytes) / static_cast<double>(totals.events),
                static_cast<double>(totals.events) / static_cast<double>(hosts * days),
                static_cast<unsigned long long>(totals.charges), out.c_str());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "flexrecon_estate: error: %s\n", e.what());
    return 1;
  }
  return 0;
}
