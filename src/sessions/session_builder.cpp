// Session reconstruction, one pass over a host's events in time order.
//
// Logon ids are unique only within one boot, so every lookup is keyed by the boot epoch (the
// number of boots before the event): after a reboot the same id names a new session. Sessions
// still open when a boot comes were cut off by it and end where the host went down.
#include "sessions/session_builder.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <optional>
#include <set>
#include <tuple>

#include "sessions/idle_spans.h"
#include "sessions/logon_classifier.h"
#include "util/strings.h"

namespace flexrecon::sessions {

namespace {

struct Draft {
  Session s;
  bool open = true;
  std::size_t epoch = 0;
  bool from_logon = false;      // started by a Security 4624
  bool from_lsm_logon = false;  // started by an LSM 21 with no 4624 to tie it to
  bool lsm_bound = false;       // some LSM (user, SessionID) points at it
  Instant last_seen = kMinInstant;
  Instant created_at = 0;       // time of the event that created it: drafts_ is in this order
  bool folded = false;          // a reconnect's transient logon, merged into the session it reconnected
  IdleTracker idle;
};

Instant distance(Instant a, Instant b) { return a > b ? a - b : b - a; }

class Builder {
 public:
  Builder(const HostEvents& host, const PowerHistory& power, const Coverage& coverage, const Settings& settings,
          std::vector<bool>& used)
      : host_(host), power_(power), coverage_(coverage), settings_(settings), used_(used) {}

  std::vector<Session> run();

 private:
  const HostEvent& event(std::size_t i) const { return host_.events[i]; }
  void cross_boots(std::size_t i);
  void on_logon(std::size_t i);
  void on_logoff(std::size_t i);
  void on_lock(std::size_t i);
  void on_security_rdp(std::size_t i);
  void on_lsm(std::size_t i);
  void fold_reconnect_logon(std::size_t session, const HostEvent& reconnect);
  void on_rdp_auth(std::size_t i, const std::vector<std::pair<Instant, std::size_t>>& by_start);
  void finish_open();

  std::optional<std::size_t> by_logon_id(std::uint64_t id) const;
  std::size_t new_draft(const HostEvent& e, const std::string& user);
  std::size_t adopt_or_rebuild(std::size_t i, const std::string& user, std::uint64_t logon_id, const std::string& what);
  void register_logon(std::size_t draft, std::uint64_t logon_id);
  void bind_lsm(std::size_t draft, const std::string& user, const std::string& session_id);
  void attach(std::size_t draft, std::size_t i);
  void close(std::size_t draft, Instant t, const std::string& reason);

  const HostEvents& host_;
  const PowerHistory& power_;
  const Coverage& coverage_;
  const Settings& settings_;
  std::vector<bool>& used_;

  std::vector<Draft> drafts_;
  // Indices of open drafts, all and per user: lookups stay proportional to live sessions. Open
  // drafts all belong to the current boot: a boot closes everything before it.
  std::set<std::size_t> open_;
  std::map<std::string, std::set<std::size_t>> open_by_user_;
  std::size_t epoch_ = 0;
  std::map<std::pair<std::size_t, std::uint64_t>, std::size_t> by_logon_;               // (epoch, logon id)
  std::set<std::pair<std::size_t, std::uint64_t>> transient_logons_;                    // reconnect logons, folded
  std::map<std::tuple<std::size_t, std::string, std::string>, std::size_t> by_lsm_;    // (epoch, user, SessionID)
  std::map<std::pair<std::size_t, std::string>, std::size_t> by_lsm_session_;          // (epoch, SessionID)
};

std::optional<std::size_t> Builder::by_logon_id(std::uint64_t id) const {
  if (id == 0) return std::nullopt;
  const auto it = by_logon_.find({epoch_, id});
  if (it == by_logon_.end()) return std::nullopt;
  return it->second;
}

std::size_t Builder::new_draft(const HostEvent& e, const std::string& user) {
  Draft d;
  d.s.host = host_.host;
  d.s.user = user;
  d.s.span = Span{e.time, e.time};
  d.epoch = epoch_;
  d.created_at = e.time;
  drafts_.push_back(std::move(d));
  open_.insert(drafts_.size() - 1);
  open_by_user_[user].insert(drafts_.size() - 1);
  return drafts_.size() - 1;
}

void Builder::register_logon(std::size_t draft, std::uint64_t logon_id) {
  if (logon_id != 0) by_logon_[{epoch_, logon_id}] = draft;
}

void Builder::bind_lsm(std::size_t draft, const std::string& user, const std::string& session_id) {
  by_lsm_[{epoch_, user, session_id}] = draft;
  by_lsm_session_[{epoch_, session_id}] = draft;
  drafts_[draft].lsm_bound = true;
}

void Builder::attach(std::size_t draft, std::size_t i) {
  used_[i] = true;
  drafts_[draft].s.evidence.push_back(event(i).ref());
  drafts_[draft].last_seen = std::max(drafts_[draft].last_seen, event(i).time);
}

void Builder::close(std::size_t draft, Instant t, const std::string& reason) {
  Draft& d = drafts_[draft];
  if (!d.open) return;  // the first logoff of a linked pair ends the session; later ones only attach
  d.open = false;
  open_.erase(draft);
  open_by_user_[d.s.user].erase(draft);
  d.s.span.end = std::max(t, d.s.span.begin);
  d.s.end_reason = reason;
}

// Presence evidence whose logon was never seen. A session of the same user that LSM alone
// started takes it over (the host's Security log missed the 4624); otherwise the session is
// rebuilt from the latest point it must already have existed at: the start of the stretch the
// log describes (its logon would have been seen inside it) or the boot before, whichever is later.
std::size_t Builder::adopt_or_rebuild(std::size_t i, const std::string& user, std::uint64_t logon_id,
                                      const std::string& what) {
  const HostEvent& e = event(i);
  const std::set<std::size_t>& mine = open_by_user_[user];
  for (auto it = mine.rbegin(); logon_id != 0 && it != mine.rend(); ++it) {
    const std::size_t k = *it;
    Draft& d = drafts_[k];
    if (!d.from_logon && d.s.logon_id == 0) {
      d.s.logon_id = logon_id;
      register_logon(k, logon_id);
      return k;
    }
  }
  const std::size_t k = new_draft(e, user);
  Draft& d = drafts_[k];
  Instant start = coverage_.stretch_start(e.time);
  std::string from = "start of the logged stretch";
  if (epoch_ > 0 && power_.boots[epoch_ - 1].time > start) {
    start = std::min(power_.boots[epoch_ - 1].time, e.time);
    from = "boot " + power_.boots[epoch_ - 1].marker;
  }
  d.s.span = Span{start, start};
  d.s.logon_id = logon_id;
  d.s.start_inferred = true;
  d.s.start_reason = "orphan " + what + " (logon not in the log; rebuilt from " + from + ")";
  register_logon(k, logon_id);
  return k;
}

void Builder::cross_boots(std::size_t i) {
  while (epoch_ < power_.boots.size() && power_.boots[epoch_].event_index <= i) {
    const Boot& b = power_.boots[epoch_];
    const std::set<std::size_t> open = open_;
    for (const std::size_t k : open) {
      Draft& d = drafts_[k];
      // A logon session cannot survive a reboot; anything logged for it shows it ran at least that long.
      close(k, std::max({b.down, d.last_seen, d.s.span.begin}), b.down_reason);
      d.s.evidence.insert(d.s.evidence.end(), b.down_evidence.begin(), b.down_evidence.end());
    }
    ++epoch_;
  }
}

void Builder::on_logon(std::size_t i) {
  const HostEvent& e = event(i);
  const int type = parse_logon_type(e.field("LogonType"));
  if (!is_interactive_logon_type(type)) return;  // network, service, unlock (7), cached unlock (13)
  if (!is_human_account(e.field("TargetUserName"), e.field("TargetUserSid"), settings_)) return;
  const std::string user = normalize_user(e.field("TargetUserName"));
  const std::uint64_t id = parse_logon_id(e.field("TargetLogonId"));
  const std::uint64_t linked = parse_logon_id(e.field("TargetLinkedLogonId"));

  // UAC split: an administrator's logon yields two linked logons, one elevated; one session.
  if (const auto k = by_logon_id(linked)) {
    Draft& d = drafts_[*k];
    if (d.open && d.s.user == user && distance(d.s.span.begin, e.time) <= settings_.linked_logon_window) {
      register_logon(*k, id);
      attach(*k, i);
      return;
    }
  }
  // RDP: LocalSessionManager may have logged its 21 a moment before the Security 4624.
  for (auto it = open_.rbegin(); it != open_.rend(); ++it) {
    const std::size_t k = *it;
    Draft& d = drafts_[k];
    if (d.created_at < e.time - settings_.presence_tolerance) break;
    if (d.epoch == epoch_ && d.from_lsm_logon && !d.from_logon && d.s.logon_id == 0 && d.s.user == user) {
      d.from_logon = true;
      d.s.logon_id = id;
      d.s.logon_type = type;
      d.s.span.begin = std::min(d.s.span.begin, e.time);
      d.s.start_reason = "4624 LogonType " + std::to_string(type) + " (with LSM 21)";
      register_logon(k, id);
      attach(k, i);
      return;
    }
  }
  const std::size_t k = new_draft(e, user);
  Draft& d = drafts_[k];
  d.from_logon = true;
  d.s.logon_type = type;
  d.s.logon_id = id;
  d.s.start_reason = "4624 LogonType " + std::to_string(type);
  register_logon(k, id);
  attach(k, i);
}

void Builder::on_logoff(std::size_t i) {
  const HostEvent& e = event(i);
  const std::uint64_t id = parse_logon_id(e.field("TargetLogonId"));
  const std::string what = std::to_string(e.event_id);
  if (const auto k = by_logon_id(id)) {
    attach(*k, i);
    // The logoff of a reconnect's transient logon does not end the session it reconnected.
    if (!transient_logons_.count({epoch_, id})) close(*k, e.time, what);
    return;
  }
  if (!is_human_account(e.field("TargetUserName"), e.field("TargetUserSid"), settings_)) return;
  std::string described = what;
  if (e.event_id == 4634) {
    // A cut-off network (3) or unlock (7) logon is not presence at the keyboard.
    const int type = parse_logon_type(e.field("LogonType"));
    if (!is_interactive_logon_type(type)) return;
    described += " LogonType " + std::to_string(type);
  }
  const std::size_t k = adopt_or_rebuild(i, normalize_user(e.field("TargetUserName")), id, described);
  attach(k, i);
  close(k, e.time, what);
}

void Builder::on_lock(std::size_t i) {
  const HostEvent& e = event(i);
  const std::uint64_t id = parse_logon_id(e.field("TargetLogonId"));
  std::optional<std::size_t> k = by_logon_id(id);
  if (!k) {
    if (!is_human_account(e.field("TargetUserName"), e.field("TargetUserSid"), settings_)) return;
    k = adopt_or_rebuild(i, normalize_user(e.field("TargetUserName")), id, std::to_string(e.event_id));
  }
  attach(*k, i);
  Draft& d = drafts_[*k];
  if (!d.open) return;
  switch (e.event_id) {
    case 4800: d.idle.begin(IdleChannel::Lock, e.time, e.ref()); break;
    case 4801: d.idle.end(IdleChannel::Lock, e.time, e.ref()); break;
    case 4802: d.idle.begin(IdleChannel::Screensaver, e.time, e.ref()); break;
    case 4803: d.idle.end(IdleChannel::Screensaver, e.time, e.ref()); break;
    default: break;
  }
}

void Builder::on_security_rdp(std::size_t i) {
  const HostEvent& e = event(i);
  const std::uint64_t id = parse_logon_id(e.field("LogonID"));
  std::optional<std::size_t> k = by_logon_id(id);
  if (!k) {
    if (!is_human_account(e.field("AccountName"), "", settings_)) return;
    k = adopt_or_rebuild(i, normalize_user(e.field("AccountName")), id, std::to_string(e.event_id));
  }
  attach(*k, i);
  Draft& d = drafts_[*k];
  if (!d.open) return;
  if (e.event_id == 4779) d.idle.begin(IdleChannel::SecurityDisconnect, e.time, e.ref());
  if (e.event_id == 4778) {
    d.idle.end(IdleChannel::SecurityDisconnect, e.time, e.ref());
    fold_reconnect_logon(*k, e);
  }
}

// Reconnecting to a disconnected RDP session authenticates anew: Windows logs a 4624 (type 10 on
// some versions) with a new logon id, then the 4778 naming the session's original logon id. That
// new logon is not a second session. A session of the same user that started within the presence
// tolerance before the 4778, with nothing logged for it but its own 4624 and no LSM 21 of its
// own, is that transient logon: it is folded into the reconnected session, and its later logoff
// only attaches there.
void Builder::fold_reconnect_logon(std::size_t session, const HostEvent& reconnect) {
  const std::string& user = drafts_[session].s.user;
  const std::set<std::size_t>& mine = open_by_user_[user];
  for (auto it = mine.rbegin(); it != mine.rend(); ++it) {
    const std::size_t j = *it;
    Draft& t = drafts_[j];
    if (t.created_at < reconnect.time - settings_.presence_tolerance) break;
    if (j == session || !t.from_logon || t.lsm_bound || t.s.evidence.size() != 1 || t.created_at > reconnect.time) continue;
    Draft& d = drafts_[session];
    d.s.evidence.push_back(t.s.evidence.front());
    transient_logons_.insert({epoch_, t.s.logon_id});
    register_logon(session, t.s.logon_id);
    t.folded = true;
    close(j, t.s.span.begin, "folded into a reconnected session");
    return;
  }
}

void Builder::on_lsm(std::size_t i) {
  const HostEvent& e = event(i);
  if (e.event_id == 39 || e.event_id == 40) {
    // 39 ("session X disconnected by session Y": TargetSession, Source) and 40 ("session X
    // disconnected, reason code Z": Session, Reason) only say why a disconnect or logoff happened;
    // the 24 or 23 beside them says that it did (SPEC 2). They name only the session id, so they
    // apply to whoever holds it now, as evidence: of the disconnected span when one is open, else
    // of the session. They open no idle span: a 40 with reason 12 is a logoff, and a 39 of a
    // session taken over from another client is followed by a reconnect, not by absence.
    const std::string sid(trim(e.event_id == 39 ? e.field("TargetSession") : e.field("Session")));
    const auto it = by_lsm_session_.find({epoch_, sid});
    if (sid.empty() || it == by_lsm_session_.end()) return;
    attach(it->second, i);
    drafts_[it->second].idle.annotate(IdleChannel::LsmDisconnect, e.ref());
    return;
  }
  if (!is_human_account(e.field("User"), "", settings_)) return;
  const std::string user = normalize_user(e.field("User"));
  const std::string sid(trim(e.field("SessionID")));
  const std::string what = "LSM " + std::to_string(e.event_id);

  if (e.event_id == 21) {
    // Bind (user, SessionID) to that user's Security logon at (about) the same moment.
    std::optional<std::size_t> best;
    for (std::size_t k = drafts_.size(); k-- > 0;) {
      const Draft& d = drafts_[k];
      // A logon's start is never more than one tolerance before its draft was created.
      if (d.created_at < e.time - 2 * settings_.presence_tolerance) break;
      if (d.epoch != epoch_ || !d.from_logon || d.s.user != user) continue;
      const Instant gap = distance(d.s.span.begin, e.time);
      if (gap > settings_.presence_tolerance) continue;
      if (!best || gap <= distance(drafts_[*best].s.span.begin, e.time)) best = k;
    }
    if (!best) {
      best = new_draft(e, user);
      drafts_[*best].from_lsm_logon = true;
      drafts_[*best].s.start_reason = "LSM 21 (no matching 4624)";
    }
    bind_lsm(*best, user, sid);
    attach(*best, i);
    return;
  }

  std::optional<std::size_t> k;
  if (const auto it = by_lsm_.find({epoch_, user, sid}); it != by_lsm_.end()) k = it->second;
  if (!k) {
    // The LSM log rolls over sooner than Security: its 21 may be gone while the 4624 is not.
    const std::set<std::size_t>& mine = open_by_user_[user];
    for (auto it = mine.rbegin(); it != mine.rend(); ++it) {
      const Draft& d = drafts_[*it];
      if (!d.lsm_bound) {
        k = *it;
        break;
      }
    }
  }
  if (!k) k = adopt_or_rebuild(i, user, 0, what);
  bind_lsm(*k, user, sid);
  attach(*k, i);
  Draft& d = drafts_[*k];
  switch (e.event_id) {
    case 23: close(*k, e.time, what); break;
    case 24:
      if (d.open) d.idle.begin(IdleChannel::LsmDisconnect, e.time, e.ref());
      break;
    case 25:
      if (d.open) {
        d.idle.end(IdleChannel::LsmDisconnect, e.time, e.ref());
        fold_reconnect_logon(*k, e);
      }
      break;
    default: break;  // 22: shell start, supporting evidence
  }
}

// 1149 (RDP network authentication succeeded) proves nothing alone: the user may never have
// reached a desktop. It supports the session of that user that starts right after it.
void Builder::on_rdp_auth(std::size_t i, const std::vector<std::pair<Instant, std::size_t>>& by_start) {
  const HostEvent& e = event(i);
  if (!is_human_account(e.field("Param1"), "", settings_)) return;
  const std::string user = normalize_user(e.field("Param1"));
  const Instant tol = settings_.presence_tolerance;
  std::optional<std::size_t> best;
  Instant best_gap = 0;
  auto it = std::lower_bound(by_start.begin(), by_start.end(), std::make_pair(e.time - tol, std::size_t{0}));
  for (; it != by_start.end() && it->first <= e.time + tol; ++it) {
    const Draft& d = drafts_[it->second];
    if (d.s.user != user || d.s.start_inferred) continue;
    const Instant gap = distance(it->first, e.time);
    if (!best || gap < best_gap) best = it->second, best_gap = gap;
  }
  if (best) attach(*best, i);
}

void Builder::finish_open() {
  Instant end_of_evidence = kMinInstant;
  for (const HostEvent& e : host_.events) end_of_evidence = std::max(end_of_evidence, e.time);
  for (const SecurityMark& m : host_.security) end_of_evidence = std::max(end_of_evidence, m.time);
  for (std::size_t k = 0; k < drafts_.size(); ++k) {
    Draft& d = drafts_[k];
    if (!d.open) continue;
    if (power_.final_shutdown && d.epoch == power_.boots.size() && d.s.span.begin <= *power_.final_shutdown) {
      close(k, std::max(*power_.final_shutdown, d.last_seen), power_.final_shutdown_reason);
      d.s.evidence.push_back(*power_.final_shutdown_ref);
      continue;
    }
    close(k, std::max({end_of_evidence, d.last_seen, d.s.span.begin}), "open at end of export");
    d.s.open_at_end = true;
  }
}

std::vector<Session> Builder::run() {
  const std::vector<HostEvent>& events = host_.events;
  for (std::size_t i = 0; i < events.size(); ++i) {
    cross_boots(i);
    const HostEvent& e = events[i];
    switch (e.channel) {
      case Channel::Security:
        switch (e.event_id) {
          case 4624: on_logon(i); break;
          case 4634:
          case 4647: on_logoff(i); break;
          case 4800:
          case 4801:
          case 4802:
          case 4803: on_lock(i); break;
          case 4778:
          case 4779: on_security_rdp(i); break;
          default: break;
        }
        break;
      case Channel::LocalSessionManager: on_lsm(i); break;
      default: break;
    }
  }
  finish_open();
  std::vector<std::pair<Instant, std::size_t>> by_start;
  for (std::size_t k = 0; k < drafts_.size(); ++k) {
    if (!drafts_[k].folded) by_start.emplace_back(drafts_[k].s.span.begin, k);
  }
  std::sort(by_start.begin(), by_start.end());
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (events[i].channel == Channel::RemoteConnectionManager && events[i].event_id == 1149) on_rdp_auth(i, by_start);
  }

  std::vector<Session> out;
  for (Draft& d : drafts_) {
    if (d.folded) continue;
    d.s.idle = d.idle.finish(d.s.span);
    std::sort(d.s.evidence.begin(), d.s.evidence.end());
    d.s.evidence.erase(std::unique(d.s.evidence.begin(), d.s.evidence.end()), d.s.evidence.end());
    out.push_back(std::move(d.s));
  }
  std::sort(out.begin(), out.end(), [](const Session& a, const Session& b) {
    return std::tie(a.span.begin, a.user, a.logon_id, a.span.end, a.start_reason) <
           std::tie(b.span.begin, b.user, b.logon_id, b.span.end, b.start_reason);
  });
  return out;
}

}  // namespace

std::vector<Session> build_sessions(const HostEvents& host, const PowerHistory& power, const Coverage& coverage,
                                    const Settings& settings, std::vector<bool>& used) {
  return Builder(host, power, coverage, settings, used).run();
}

}  // namespace flexrecon::sessions
