#!/usr/bin/env python3
"""The plain reconciler an analyst would write: issue 9's speed baseline (bench/README.md).

    baseline_reconciler.py --metering FILE --events DIR --out FINDINGS.csv

One thread, standard library only (ElementTree's pull parser and csv). It reads the same event
files flexrecon reads (wevtutil XML: bare <Event> elements, no root, walked recursively), keeps the
events SPEC 2 needs, and does the same reconstruction flexrecon does before its background rule:

- human interactive sessions per host: a 4624 of type 2/10/11/12 for an account that is not a
  machine, service or system account; UAC linked pairs are one session; a session ends at the
  first 4634/4647 of one of its logon ids or at the next boot/shutdown marker; a 4647/4801/4778/4779
  of a logon never seen proves a session from the last boot (or the start of coverage);
- idle spans inside sessions: locks (4800 -> 4801) and disconnects (4779 -> 4778);
- power-off spans: clean shutdown marker to the next boot marker;
- Security log coverage per host: records ordered by EventRecordID, a jump of more than 1 is a
  gap between the neighbours' times; before the first and after the last record is uncovered; a
  1102 clear uncovers everything before it; a 4616 moving the clock more than 5 minutes uncovers
  the span between the two times;

then applies SPEC 3.1 (`background`) to every charge and writes one row per finding. It is meant to
be honest, not clever: every event of every file is parsed, nothing is sampled or skipped by name.
"""
import argparse
import calendar
import csv
import fnmatch
import os
import sys
import xml.etree.ElementTree as ET

NS = "{http://schemas.microsoft.com/win/2004/08/events/event}"
TOLERANCE = 120.0          # presence tolerance, seconds (SPEC 3.1 default)
CLOCK_TOLERANCE = 300.0    # a 4616 shift beyond this uncovers the span (SPEC 2)
SERVICE_PATTERNS = ["svc_*", "svc-*", "*_svc", "sa_*"]
NOT_HUMAN_SIDS = {"S-1-5-18", "S-1-5-19", "S-1-5-20"}

# The EventData fields the reconstruction reads (the rest of each event is parsed, then dropped).
WANTED_FIELDS = {"TargetUserName", "TargetUserSid", "TargetLogonId", "TargetLinkedLogonId", "LogonType",
                 "AccountName", "LogonID", "PreviousTime", "NewTime"}
SECURITY_USED = {4624, 4634, 4647, 4800, 4801, 4778, 4779, 4608, 4609, 4616, 1100, 1102}
SYSTEM_USED = {6005, 6006, 6008, 6009, 1074, 41}
BOOT = {("security", 4608), ("system", 6005), ("system", 6009), ("system", 6008), ("system", 41)}
SHUTDOWN = {("security", 4609), ("security", 1100), ("system", 6006), ("system", 1074)}


def parse_time(text):
    """2026-01-05T08:30:12.1234567Z (or a space for T, any fraction, optional Z) -> epoch seconds."""
    text = text.strip().rstrip("Z")
    seconds = calendar.timegm((int(text[0:4]), int(text[5:7]), int(text[8:10]),
                               int(text[11:13]), int(text[14:16]), int(text[17:19])))
    if len(text) > 20 and text[19] == ".":
        fraction = text[20:]
        seconds += int(fraction) / (10 ** len(fraction))
    return seconds


def short_host(name):
    return name.strip().lstrip("\\").split(".")[0].lower()


def account(name):
    name = name.strip().lower()
    if "\\" in name:
        name = name.split("\\", 1)[1]
    if "@" in name:
        name = name.split("@", 1)[0]
    return name


def is_human(user, sid):
    if not user or sid in NOT_HUMAN_SIDS or user.endswith("$") or user == "anonymous logon":
        return False
    if user.startswith("dwm-") or user.startswith("umfd-"):
        return False
    return not any(fnmatch.fnmatchcase(user, p) for p in SERVICE_PATTERNS)


def logon_id(text):
    try:
        return int(text, 16) if text else 0
    except ValueError:
        return 0


class HostLog:
    def __init__(self):
        self.events = []     # (time, record_id, channel, event_id, fields) of the kinds used
        self.security = []   # (record_id, time) of every Security record


def read_events(root_dir, hosts):
    """Parses every file under root_dir; returns the number of events read."""
    count = 0
    for folder, dirs, files in os.walk(root_dir):
        dirs.sort()
        for name in sorted(files):
            count += read_file(os.path.join(folder, name), hosts)
    return count


def read_file(path, hosts):
    # wevtutil writes bare events one after the other, with no root: each is cut at its end tag
    # (which cannot occur inside XML text) and parsed on its own, so memory holds one event's tree.
    with open(path, "rb") as f:
        data = f.read()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    count = 0
    for piece in data.split(b"</Event>"):
        if b"<Event" not in piece:
            continue
        elem = ET.fromstring(piece + b"</Event>")
        if elem.tag == NS + "Event":
            count += 1
            take_event(elem, hosts)
    return count


def take_event(elem, hosts):
    system = elem.find(NS + "System")
    channel = (system.findtext(NS + "Channel") or "").strip().lower()
    event_id = int(system.findtext(NS + "EventID"))
    record_id = int(system.findtext(NS + "EventRecordID"))
    time = parse_time(system.find(NS + "TimeCreated").get("SystemTime"))
    provider = system.find(NS + "Provider").get("Name", "")
    host = short_host(system.findtext(NS + "Computer") or "")
    log = hosts.get(host)
    if log is None:
        log = hosts[host] = HostLog()
    if channel == "security":
        log.security.append((record_id, time))
        used = event_id in SECURITY_USED
    elif channel == "system":
        used = event_id in SYSTEM_USED and (event_id != 41 or provider == "Microsoft-Windows-Kernel-Power")
    else:
        used = False
    if not used:
        return
    fields = {}
    data = elem.find(NS + "EventData")
    if data is not None:
        for d in data:
            name = d.get("Name", "")
            if name in WANTED_FIELDS:
                fields[name] = d.text or ""
    log.events.append((time, record_id, channel, event_id, fields))


class Session:
    def __init__(self, user, start, ids):
        self.user = user
        self.start = start
        self.end = None
        self.ids = set(ids)
        self.idle = []          # closed (from, to) spans
        self.locked_at = None
        self.disconnected_at = None

    def close(self, t):
        if self.end is None:
            self.end = t
        if self.locked_at is not None:
            self.idle.append((self.locked_at, t))
            self.locked_at = None
        if self.disconnected_at is not None:
            self.idle.append((self.disconnected_at, t))
            self.disconnected_at = None


class Timeline:
    def __init__(self):
        self.sessions = []
        self.off = []        # (from, to) power-off spans
        self.uncovered = []  # (from, to)
        self.first = None
        self.last = None


def coverage(log, tl):
    INF = float("inf")
    if not log.security:
        tl.uncovered.append((-INF, INF))
        return
    records = sorted(set(log.security))
    tl.first, tl.last = records[0][1], records[-1][1]
    tl.uncovered.append((-INF, tl.first))
    tl.uncovered.append((tl.last, INF))
    for (a_id, a_t), (b_id, b_t) in zip(records, records[1:]):
        if b_id - a_id > 1:
            tl.uncovered.append((min(a_t, b_t), max(a_t, b_t)))
    for time, _, channel, event_id, fields in log.events:
        if channel != "security":
            continue
        if event_id == 1102:
            tl.uncovered.append((-INF, time))
        elif event_id == 4616 and fields.get("PreviousTime") and fields.get("NewTime"):
            before, after = parse_time(fields["PreviousTime"]), parse_time(fields["NewTime"])
            if abs(after - before) > CLOCK_TOLERANCE:
                tl.uncovered.append((min(before, after), max(before, after)))


def sessions(log, tl):
    events = sorted(log.events, key=lambda e: (e[0], e[2] != "security", e[1]))
    open_by_id = {}
    ended_by_id = {}  # logon ids whose session ended in this boot: their later logoffs belong to it
    last_boot = None
    off_since = None
    for time, _, channel, event_id, fields in events:
        marker = (channel, event_id)
        if marker in BOOT or marker in SHUTDOWN:
            for s in set(open_by_id.values()):
                s.close(time)
            open_by_id.clear()
            ended_by_id.clear()
            if marker in SHUTDOWN and off_since is None:
                off_since = time
            if marker in BOOT:
                if off_since is not None:
                    tl.off.append((off_since, time))
                    off_since = None
                last_boot = time
            continue
        if channel != "security":
            continue
        lid = logon_id(fields.get("TargetLogonId") or fields.get("LogonID") or "")
        if event_id == 4624:
            user = account(fields.get("TargetUserName", ""))
            if fields.get("LogonType") not in ("2", "10", "11", "12"):
                continue
            if not is_human(user, fields.get("TargetUserSid", "")):
                continue
            linked = logon_id(fields.get("TargetLinkedLogonId", ""))
            ended_by_id.pop(lid, None)  # a new logon reusing an id starts afresh
            partner = open_by_id.get(linked) if linked else None
            if partner is not None and partner.user == user and time - partner.start <= 60:
                partner.ids.add(lid)
                open_by_id[lid] = partner
                continue
            s = Session(user, time, [lid])
            tl.sessions.append(s)
            open_by_id[lid] = s
            continue
        s = open_by_id.get(lid)
        if s is None and lid in ended_by_id:
            continue  # e.g. the 4634 that follows a 4647, or the linked token's own 4634
        if s is None:
            # A logoff, unlock or reconnect of a logon never seen proves a session before it.
            user = account(fields.get("TargetUserName") or fields.get("AccountName") or "")
            proves = event_id in (4647, 4801, 4778, 4779) or (
                event_id == 4634 and fields.get("LogonType") in ("2", "10", "11", "12"))
            if not proves or not is_human(user, fields.get("TargetUserSid", "")):
                continue
            known = [x for x in (last_boot, tl.first) if x is not None]
            s = Session(user, min(max(known), time) if known else time, [lid])
            tl.sessions.append(s)
            if event_id in (4634, 4647):
                s.close(time)
                ended_by_id[lid] = s
            else:
                open_by_id[lid] = s
            continue
        if event_id in (4634, 4647):
            s.close(time)
            for i in s.ids:
                open_by_id.pop(i, None)
                ended_by_id[i] = s
        elif event_id == 4800:
            if s.locked_at is None:
                s.locked_at = time
        elif event_id == 4801:
            if s.locked_at is not None:
                s.idle.append((s.locked_at, time))
                s.locked_at = None
        elif event_id == 4779:
            if s.disconnected_at is None:
                s.disconnected_at = time
        elif event_id == 4778:
            if s.disconnected_at is not None:
                s.idle.append((s.disconnected_at, time))
                s.disconnected_at = None
    end = tl.last if tl.last is not None else (events[-1][0] if events else 0)
    for s in set(open_by_id.values()):
        s.close(max(end, s.start))


def overlaps(spans, a, b):
    return any(f < b and t > a for f, t in spans)


def active_in(session, a, b):
    """True when some instant of [a, b] is inside the session and outside its idle spans."""
    lo, hi = max(a, session.start), min(b, session.end)
    if lo > hi:
        return False
    cursor = lo
    for f, t in sorted(session.idle):
        if t <= cursor:
            continue
        if f > cursor:
            return True
        cursor = t
        if cursor >= hi:
            return False
    return cursor < hi or (cursor == hi and lo == hi)


def background(charge, tl):
    t = charge["start"]
    a, b = t - TOLERANCE, t + TOLERANCE
    present = [s for s in tl.sessions if s.start <= b and s.end >= a]
    mine = [s for s in present if s.user == charge["user"]]
    if any(active_in(s, a, b) for s in mine):
        return None
    if overlaps(tl.uncovered, a, b):
        return ("insufficient-evidence", "", "the window overlaps a Security log gap")
    if mine:
        return ("challenged", "medium", "launched while the user's session was locked/disconnected")
    if present:
        return ("challenged", "medium", "metered user not logged on")
    if any(f <= a and t2 >= b for f, t2 in tl.off):
        return ("challenged", "high", "host powered off")
    return ("challenged", "high", "no interactive user logged on")


def read_metering(path):
    charges = []
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = csv.reader(f)
        header = [h.strip().strip('"').lower() for h in next(rows)]
        col = {name: i for i, name in enumerate(header)}
        for line, row in enumerate(rows, start=2):
            if not row:
                continue
            tokens = float(row[col["tokensconsumed"]])
            if tokens <= 0 or row[col["usagecategory"]] != "DESKTOP_PRODUCT":
                continue
            start = row[col["sessionstartdate"]]
            charges.append({
                "id": row[col["chargeditemid"]],
                "user": account(row[col["username"]]),
                "host": short_host(row[col["machinename"]]),
                "start": parse_time(start.replace(" ", "T")),
                "start_text": start.replace(" ", "T") + "Z",
                "tokens": row[col["tokensconsumed"]],
            })
    return charges


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--metering", required=True)
    ap.add_argument("--events", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()

    hosts = {}
    read = read_events(args.events, hosts)
    timelines = {}
    for host, log in hosts.items():
        tl = Timeline()
        coverage(log, tl)
        sessions(log, tl)
        timelines[host] = tl
    charges = read_metering(args.metering)
    findings = []
    for c in charges:
        tl = timelines.get(c["host"])
        if tl is None:
            tl = Timeline()
            tl.uncovered.append((float("-inf"), float("inf")))
        verdict = background(c, tl)
        if verdict:
            findings.append((c, verdict))
    with open(args.out, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["metering_record_id", "status", "rule", "confidence", "user", "host",
                    "charge_start_utc", "tokens_billed", "tokens_challenged", "reason"])
        for c, (status, confidence, reason) in findings:
            w.writerow([c["id"], status, "background", confidence, c["user"], c["host"], c["start_text"],
                        c["tokens"], c["tokens"] if status == "challenged" else "0.0", reason])
    sessions_total = sum(len(t.sessions) for t in timelines.values())
    print(f"baseline: {read} events, {len(hosts)} hosts, {sessions_total} sessions, {len(charges)} charges, "
          f"{len(findings)} background findings -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
