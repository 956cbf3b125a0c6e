#!/usr/bin/env python3
"""Writes the coverage case: the situations where a careless tool would challenge what the logs
cannot prove, or miss what they do (log cleared, clock jumps, crashes, overlapping exports, a log
that rolled over mid-session, a terminal server). Reuses the event shapes of samples/generate.py.
Deterministic: run it again, get the same bytes. What each charge should give is in
expected-findings.csv beside this file, and why in README.md.
"""
import datetime as dt
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', '..', '..', 'samples'))
import generate as g  # noqa: E402

g.HERE = HERE


def cleared():
    """host-clear: the Security log was cleared Tuesday 10:00 (1102); nothing before it is provable."""
    sec = g.Log('HOST-CLEAR.corp.example', 'Security', g.SEC_PROVIDER, 1)
    g.boot(sec, None, '2026-11-01 22:00:00')
    g.hourly_noise(sec, '2026-11-02 00:10:00', '2026-11-03 09:00:00', base=0xA1000)
    sec.add('2026-11-03 10:00:00', 1102, data=None, provider=('Microsoft-Windows-Eventlog', '{fc65ddd8-d6ef-4962-83d5-6e5cfe9ce148}'),
            user_data=('LogFileCleared', [('SubjectUserSid', g.sid('admin')), ('SubjectUserName', 'admin'),
                                          ('SubjectDomainName', 'CORP'), ('SubjectLogonId', '0x1c2d3')]))
    g.hourly_noise(sec, '2026-11-03 10:30:00', '2026-11-06 23:00:00', base=0xA2000)
    g.workday(sec, '2026-11-04', 'gina', 0xA30000, '09:00:00', '17:00:00')
    # An export taken before the clear, and one after it (which starts at the 1102). The older one
    # shows nobody logged on Monday afternoon, but the clear voids it: whoever cleared the log could
    # have edited what came before.
    numbered = sec.numbered()
    before = [e for e in numbered if e['when'] < g.t('2026-11-03 10:00:00')]
    after = [e for e in numbered if e['when'] >= g.t('2026-11-03 10:00:00')]
    g.save(os.path.join(HERE, 'events', 'host-clear-old.xml'), ''.join(g.render(sec, e) + '\n' for e in before),
           'utf-8', False)
    g.save(os.path.join(HERE, 'events', 'host-clear-security.xml'), ''.join(g.render(sec, e) + '\n' for e in after),
           'utf-8', False)


def clock_jump():
    """host-clock: Monday 14:00 the clock was set back two hours (4616); 12:00-14:00 is uncertain."""
    sec = g.Log('HOST-CLOCK', 'Security', g.SEC_PROVIDER, 500)
    g.boot(sec, None, '2026-11-01 22:00:00')
    g.hourly_noise(sec, '2026-11-02 00:10:00', '2026-11-06 23:00:00', base=0xB1000)
    sec.add('2026-11-02 14:00:00', 4616, data=[
        ('SubjectUserSid', 'S-1-5-19'), ('SubjectUserName', 'LOCAL SERVICE'), ('SubjectDomainName', 'NT AUTHORITY'),
        ('SubjectLogonId', '0x3e5'), ('PreviousTime', '2026-11-02T14:00:00.0000000Z'),
        ('NewTime', '2026-11-02T12:00:00.0000000Z'), ('ProcessId', '0x4c8'),
        ('ProcessName', r'C:\Windows\System32\svchost.exe')])
    g.workday(sec, '2026-11-03', 'hugo', 0xB30000, '09:00:00', '17:00:00')
    g.write_wevtutil(os.path.join(HERE, 'events', 'host-clock.xml'), [sec])


def crash():
    """host-crash: ivan's session dies with the machine at 12:00 Tuesday (41 + 6008 at the 12:30 boot)."""
    sec = g.Log('HOST-CRASH.corp.example', 'Security', g.SEC_PROVIDER, 7000)
    sysl = g.Log('HOST-CRASH.corp.example', 'System', ('EventLog', ''), 300)
    g.boot(sec, sysl, '2026-11-01 22:00:00')
    g.hourly_noise(sec, '2026-11-02 00:10:00', '2026-11-06 23:00:00', base=0xC1000)
    g.logon(sec, '2026-11-03 09:00:00', 'ivan', 0xC30000, 2)
    # No logoff: the power went. Last alive 12:00 UTC (the 6008 text in the US locale of the box).
    g.boot(sec, sysl, '2026-11-03 12:30:00', previous_dirty=True)
    for e in sysl.events:
        if e['id'] == 6008:
            e['data'] = [(None, '\u200e12:00:05 PM'), (None, '\u200e11/\u200e3/\u200e2026'), (None, ''), (None, ''),
                         (None, '4711'), (None, '')]
    g.write_wevtutil(os.path.join(HERE, 'events', 'host-crash', 'Security.xml'), [sec])
    g.write_event_viewer(os.path.join(HERE, 'events', 'host-crash', 'System.xml'), [sysl])


def overlapping():
    """host-overlap: two exports of the same log overlap by a day; together they leave no gap."""
    sec = g.Log('HOST-OVERLAP', 'Security', g.SEC_PROVIDER, 100)
    g.boot(sec, None, '2026-11-01 22:00:00')
    g.hourly_noise(sec, '2026-11-02 00:10:00', '2026-11-06 23:00:00', base=0xD1000)
    g.workday(sec, '2026-11-03', 'jana', 0xD30000, '09:00:00', '17:00:00')
    g.workday(sec, '2026-11-05', 'jana', 0xD40000, '09:00:00', '17:00:00')
    numbered = sec.numbered()
    first = [e for e in numbered if e['when'] < g.t('2026-11-04 12:00:00')]
    second = [e for e in numbered if e['when'] >= g.t('2026-11-03 12:00:00')]
    g.save(os.path.join(HERE, 'events', 'host-overlap-1.xml'), ''.join(g.render(sec, e) + '\n' for e in first), 'utf-8', False)
    g.save(os.path.join(HERE, 'events', 'host-overlap-2.xml'),
           '<root>\n' + ''.join(g.render(sec, e) + '\n' for e in second) + '</root>\n', 'utf-8', False)


def rolled():
    """host-rolled: the export starts Tuesday 11:00, mid-session: kurt's lock, unlock and logoff remain."""
    sec = g.Log('HOST-ROLLED', 'Security', g.SEC_PROVIDER, 90000)
    g.hourly_noise(sec, '2026-11-03 11:00:00', '2026-11-06 23:00:00', base=0xE1000)
    g.lock(sec, '2026-11-03 12:00:00', 'kurt', 0xE30000, 4800)
    g.lock(sec, '2026-11-03 13:00:00', 'kurt', 0xE30000, 4801)
    g.user_logoff(sec, '2026-11-03 17:00:00', 'kurt', 0xE30000)
    g.logoff(sec, '2026-11-03 17:00:01', 'kurt', 0xE30000, 2)
    g.write_wevtutil(os.path.join(HERE, 'events', 'host-rolled.xml'), [sec])


def terminal_server():
    """host-ts: three RDP users; lena's Security logon is there, her LSM logoff 23 ends the session."""
    sec = g.Log('HOST-TS', 'Security', g.SEC_PROVIDER, 40000)
    lsm = g.Log('HOST-TS', g.LSM_CHANNEL, g.LSM_PROVIDER, 800)
    g.boot(sec, None, '2026-11-01 22:00:00')
    g.hourly_noise(sec, '2026-11-02 00:10:00', '2026-11-06 23:00:00', base=0xF1000)

    def lsm_event(when, event_id, user, session):
        fields = [('User', 'CORP\\' + user), ('SessionID', str(session))]
        if event_id in (21, 22, 25):
            fields.append(('Address', '10.9.8.7'))
        lsm.add(when, event_id, user_data=('EventXML', fields))

    for user, lid, session, start, end in [('lena', 0xF30001, 2, '08:00:00', '12:00:00'),
                                           ('mark', 0xF30002, 3, '09:00:00', '18:00:00'),
                                           ('nina', 0xF30003, 4, '13:00:00', '15:00:00')]:
        g.logon(sec, '2026-11-04 ' + start, user, lid, 10, ip='10.9.8.7')
        lsm_event('2026-11-04 ' + start, 21, user, session)
        lsm_event('2026-11-04 ' + end, 23, user, session)
        # Windows logs the 4634 of an RDP logoff late or not at all; lena's is missing.
        if user != 'lena':
            g.logoff(sec, '2026-11-04 ' + end, user, lid, 10)
    g.write_wevtutil(os.path.join(HERE, 'events', 'host-ts', 'Security.xml'), [sec])
    g.write_wevtutil(os.path.join(HERE, 'events', 'host-ts', 'LSM.xml'), [lsm])


CHARGES = [
    ('C-101', 'CORP\\gina', 'HOST-CLEAR', '2026-11-02 15:00:00', '2026-11-02 16:00:00'),  # before the clear
    ('C-102', 'CORP\\gina', 'HOST-CLEAR', '2026-11-05 02:00:00', '2026-11-05 03:00:00'),  # after it, nobody on
    ('C-103', 'CORP\\gina', 'HOST-CLEAR', '2026-11-04 10:00:00', '2026-11-04 12:00:00'),  # gina on: supported
    ('C-201', 'CORP\\hugo', 'HOST-CLOCK', '2026-11-02 13:00:00', '2026-11-02 13:30:00'),  # inside the jump
    ('C-202', 'CORP\\hugo', 'HOST-CLOCK', '2026-11-02 20:00:00', '2026-11-02 21:00:00'),  # outside: nobody on
    ('C-301', 'CORP\\ivan', 'HOST-CRASH', '2026-11-03 10:00:00', '2026-11-03 11:00:00'),  # ivan on: supported
    ('C-302', 'CORP\\ivan', 'HOST-CRASH', '2026-11-03 12:10:00', '2026-11-03 12:20:00'),  # machine down: nobody
    ('C-401', 'CORP\\jana', 'HOST-OVERLAP', '2026-11-04 03:00:00', '2026-11-04 04:00:00'),  # in the overlap: nobody
    ('C-402', 'CORP\\jana', 'HOST-OVERLAP', '2026-11-05 10:00:00', '2026-11-05 11:00:00'),  # jana on: supported
    ('C-501', 'CORP\\kurt', 'HOST-ROLLED', '2026-11-03 11:30:00', '2026-11-03 11:50:00'),  # rolled-out logon: supported
    ('C-502', 'CORP\\kurt', 'HOST-ROLLED', '2026-11-03 12:30:00', '2026-11-03 12:40:00'),  # locked
    ('C-503', 'CORP\\kurt', 'HOST-ROLLED', '2026-11-03 09:00:00', '2026-11-03 10:00:00'),  # before the export
    ('C-601', 'CORP\\lena', 'HOST-TS', '2026-11-04 11:00:00', '2026-11-04 11:30:00'),  # lena on: supported
    ('C-602', 'CORP\\lena', 'HOST-TS', '2026-11-05 13:30:00', '2026-11-05 14:00:00'),  # lena off, nobody else
    ('C-603', 'CORP\\nina', 'HOST-TS', '2026-11-04 12:30:00', '2026-11-04 12:40:00'),  # nina not yet on, mark is
    ('C-701', 'CORP\\olga', 'HOST-NOLOG', '2026-11-04 12:30:00', '2026-11-04 12:40:00'),  # no log at all
]


def metering():
    lines = ['charged_item_id,user_name,machine_name,product_line_code,session_start,session_end,tokens_consumed']
    for rid, user, host, start, end in CHARGES:
        lines.append(','.join([rid, user, host, 'RVT', start.replace(' ', 'T') + 'Z', end.replace(' ', 'T') + 'Z', '10.0']))
    g.save(os.path.join(HERE, 'metering.csv'), '\n'.join(lines) + '\n', 'utf-8', False)


if __name__ == '__main__':
    cleared()
    clock_jump()
    crash()
    overlapping()
    rolled()
    terminal_server()
    metering()
