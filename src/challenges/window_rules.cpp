// Window rules (SPEC 3.4, audit category 2, "session boundary attribution"): one user is billed once
// per product per billing window, so a further charge inside the window is billed twice.
//  - rolling-24h: a window opens at each valid charge and lasts 24 h; a charge starting inside it
//    is `midnight-split` when it continues, just after a midnight, a session that ran across that
//    midnight (Autodesk split the session into two records), else `double-charge`;
//  - calendar-day: one charge per calendar day in the billing zone; a second is `double-charge`.
// Only charges no earlier rule challenged in full are walked: a charge that was not use (a
// background launch, say) opens no window, and the charge after it is a legitimate one.

#include <algorithm>
#include <map>

#include "challenges/rules.h"
#include "util/strings.h"

namespace flexrecon::challenges {

namespace {

using GroupKey = std::pair<std::string, std::string>;  // (user, product code lower-cased)

Instant floor_div(Instant a, Instant b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0); }

// The midnight (in `zone`) within `w` of `t`, before or after it, if any.
std::optional<Instant> midnight_near(const std::string& zone, Instant t, Instant w) {
  const Instant today = day_start(zone, t);
  if (t - today <= w) return today;
  const Instant next = day_start(zone, t + w);
  if (next > t) return next;
  return std::nullopt;
}

bool is_digit(char ch) { return ch >= '0' && ch <= '9'; }

// Record ids in natural order: runs of digits compare as numbers, so chargedItemID 9 comes before
// 10, and `m.csv:9` before `m.csv:10` (the id of a row that has none).
int compare_record_ids(std::string_view a, std::string_view b) {
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (is_digit(a[i]) && is_digit(b[j])) {
      std::size_t ie = i, je = j;
      while (ie < a.size() && is_digit(a[ie])) ++ie;
      while (je < b.size() && is_digit(b[je])) ++je;
      std::string_view x = a.substr(i, ie - i), y = b.substr(j, je - j);
      x.remove_prefix(std::min(x.find_first_not_of('0'), x.size()));
      y.remove_prefix(std::min(y.find_first_not_of('0'), y.size()));
      if (x.size() != y.size()) return x.size() < y.size() ? -1 : 1;
      if (const int c = x.compare(y); c != 0) return c;
      i = ie;
      j = je;
    } else {
      if (a[i] != b[j]) return static_cast<unsigned char>(a[i]) < static_cast<unsigned char>(b[j]) ? -1 : 1;
      ++i;
      ++j;
    }
  }
  if (a.size() - i != b.size() - j) return a.size() - i < b.size() - j ? -1 : 1;
  // Equal up to leading zeros ("007" vs "7"): fall back to plain text for a total order.
  return a.compare(b);
}

// Charges walked in billing order: start time, ties by record id, then row order.
bool billing_order(const Charge* a, const Charge* b, Instant ta, Instant tb) {
  if (ta != tb) return ta < tb;
  if (const int c = compare_record_ids(a->m->record_id, b->m->record_id); c != 0) return c < 0;
  return a->row < b->row;
}

std::string charge_name(const MeteringRow& r) {
  return "charge " + r.record_id + " (line " + std::to_string(r.line) + ", " +
         (r.start ? format_utc(*r.start) : format_date(r.usage_date.value_or(0))) + ")";
}

Verdict make(const std::string& rule, const std::string& reason, const MeteringRow& row) {
  Verdict v;
  v.rule = rule;
  v.status = FindingStatus::Challenged;
  v.confidence = Confidence::High;
  v.tokens = row.tokens;
  v.reason = reason;
  return v;
}

// Did `prev`'s session run across `midnight`? In order of strength: prev's own [start, end) crosses
// it; the user's logon session on the host, open when prev started, crosses it (Windows evidence);
// prev's own span ends within the midnight window before it (Autodesk closed the first half at the
// day boundary).
bool runs_across(const RuleContext& ctx, const MeteringRow& prev, const MeteringRow& cur, Instant midnight,
                 Verdict& v) {
  if (!prev.start || *prev.start >= midnight) return false;
  const Instant w = ctx.settings().midnight_window;
  if (prev.end && *prev.end >= midnight) {
    v.reason = "midnight split: the session of " + charge_name(prev) + " ran until " + format_utc(*prev.end);
    return true;
  }
  const std::string& host = cur.host.empty() ? prev.host : cur.host;
  const HostTimeline* tl = ctx.timeline(host);
  if (tl != nullptr && (prev.host.empty() || prev.host == host)) {
    const Instant tol = ctx.settings().presence_tolerance;
    // Sessions open when prev started (a logon up to the tolerance after it still counts).
    for (const Session* s : ctx.sessions_overlapping(*tl, Span{*prev.start, *prev.start + tol + 1})) {
      if (s->user != prev.user || s->span.end <= midnight) continue;
      v.reason = "midnight split: " + prev.user + "'s logon session on " + host + " (logon " + format_utc(s->span.begin) +
                 ", " + (s->open_at_end ? "still open at the end of the log" : "ended " + format_utc(s->span.end)) +
                 "), in which " + charge_name(prev) + " started, ran across that midnight";
      v.evidence.insert(v.evidence.end(), s->evidence.begin(), s->evidence.end());
      v.session_ids.push_back(s->id);
      return true;
    }
  }
  if (prev.end && *prev.end >= midnight - w) {
    v.reason = "midnight split: the session of " + charge_name(prev) + " ran until " + format_utc(*prev.end) +
               ", the day boundary";
    return true;
  }
  return false;
}

// group[i] as the second half of a midnight split of one of the charges walked since the last
// valid one (group[last_valid..i)), or nullopt.
std::optional<Verdict> midnight_split(const RuleContext& ctx, const std::vector<Charge*>& group,
                                      std::size_t last_valid, std::size_t i) {
  const Settings& st = ctx.settings();
  const MeteringRow& cur = *group[i]->m;
  const std::optional<Instant> midnight = midnight_near(st.billing_tz, *cur.start, st.midnight_window);
  if (!midnight) return std::nullopt;
  // The most recent charge first: it is the likeliest first half of the split.
  for (std::size_t j = i; j-- > last_valid;) {
    Verdict v = make("midnight-split", "", cur);
    const MeteringRow& prev = *group[j]->m;
    if (!runs_across(ctx, prev, cur, *midnight, v)) continue;
    v.reason += "; this charge starts " + format_utc(*cur.start) + ", within " +
                describe_duration(st.midnight_window) + " of midnight " + format_utc(*midnight) + " (" +
                st.billing_tz + "): one session billed twice";
    v.evidence.push_back(prev.ref());
    v.evidence.push_back(group[last_valid]->m->ref());
    return v;
  }
  return std::nullopt;
}

void walk_rolling(RuleContext& ctx, std::vector<Charge*>& group) {
  std::sort(group.begin(), group.end(),
            [](const Charge* a, const Charge* b) { return billing_order(a, b, *a->m->start, *b->m->start); });
  std::size_t last_valid = group.size();  // index into group; size() = none yet
  for (std::size_t i = 0; i < group.size(); ++i) {
    const MeteringRow& cur = *group[i]->m;
    if (last_valid == group.size() || *cur.start - *group[last_valid]->m->start >= kDay) {
      last_valid = i;  // exactly 24 h later is a new day's use: valid
      continue;
    }
    const MeteringRow& opener = *group[last_valid]->m;
    const std::string tail = "; it starts " + describe_duration(*cur.start - *opener.start) + " after " +
                             charge_name(opener) + ", inside that charge's 24-hour window (rolling-24h: one charge per user and product every 24 h)";
    if (std::optional<Verdict> split = midnight_split(ctx, group, last_valid, i)) {
      split->reason += tail;
      group[i]->verdicts.push_back(std::move(*split));
      continue;
    }
    Verdict v = make("double-charge", "second charge for " + cur.product_code + " to " + cur.user + tail, cur);
    v.evidence.push_back(opener.ref());
    group[i]->verdicts.push_back(std::move(v));
  }
}

void walk_calendar(RuleContext& ctx, std::vector<Charge*>& group) {
  const std::string& zone = ctx.settings().billing_tz;
  // Billing day as a day number: the local date in the zone for timed charges; the usage date
  // itself for day-granular rows (they carry the day, not a time).
  struct Dated {
    Instant day;
    Instant at;
    Charge* c;
  };
  std::vector<Dated> dated;
  for (Charge* c : group) {
    if (c->m->start) {
      const Instant t = *c->m->start;
      dated.push_back({floor_div(t + zone_offset(zone, t), kDay), t, c});
    } else {
      dated.push_back({floor_div(*c->m->usage_date, kDay), *c->m->usage_date, c});
    }
  }
  std::sort(dated.begin(), dated.end(), [](const Dated& a, const Dated& b) {
    if (a.day != b.day) return a.day < b.day;
    return billing_order(a.c, b.c, a.at, b.at);
  });
  std::size_t first = 0;  // the day's first charge: the one that is billed
  for (std::size_t i = 1; i < dated.size(); ++i) {
    if (dated[i].day != dated[first].day) {
      first = i;
      continue;
    }
    const MeteringRow& cur = *dated[i].c->m;
    const MeteringRow& opener = *dated[first].c->m;
    Verdict v = make("double-charge",
                     "second charge for " + cur.product_code + " to " + cur.user + " on billing day " +
                         format_date(dated[i].day * kDay) + " (" + zone + "), already billed by " +
                         charge_name(opener) + " (calendar-day: one charge per user, product and day)",
                     cur);
    v.evidence.push_back(opener.ref());
    dated[i].c->verdicts.push_back(std::move(v));
  }
}

}  // namespace

void apply_window_rules(RuleContext& ctx) {
  const bool calendar = ctx.settings().billing_model == BillingModel::CalendarDay;
  std::map<GroupKey, std::vector<Charge*>> groups;  // ordered: deterministic walk
  for (Charge* c : ctx.open_charges()) {
    const MeteringRow& row = *c->m;
    const bool has_time = row.start.has_value() || (calendar && row.usage_date.has_value());
    if (row.user.empty() || row.product_code.empty() || !has_time) {
      ctx.not_evaluable("double-charge");
      continue;
    }
    groups[{row.user, to_lower(row.product_code)}].push_back(c);
  }
  for (auto& [key, group] : groups) {
    if (calendar) {
      walk_calendar(ctx, group);
    } else {
      walk_rolling(ctx, group);
    }
  }
}

}  // namespace flexrecon::challenges
