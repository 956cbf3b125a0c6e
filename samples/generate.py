#!/usr/bin/env python3
"""Writes the sample audit case in samples/ (deterministic: run it again, get the same bytes).

The case: Acme Engineering, week of Monday 2026-11-02, six hosts, one of them a terminal server.
What the tool should find, and why, is in samples/README.md. The event files use every XML export
form flexrecon reads (wevtutil fragments, /e:root, Event Viewer, PowerShell ToXml) in UTF-8 and
UTF-16, and two hosts' logs come inside archives (.zip, .tar.gz).
"""
import datetime as dt
import io
import os
import tarfile
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
SEC_PROVIDER = ('Microsoft-Windows-Security-Auditing', '{54849625-5478-4994-a5ba-3e3b0328c30d}')
LSM_CHANNEL = 'Microsoft-Windows-TerminalServices-LocalSessionManager/Operational'
LSM_PROVIDER = ('Microsoft-Windows-TerminalServices-LocalSessionManager', '{5d896912-022d-40aa-a3a8-4fa5515c76d7}')
DOMAIN = 'ACME'
SIDS = {}


def t(s):
    return dt.datetime.strptime(s, '%Y-%m-%d %H:%M:%S')


def sid(user):
    if user not in SIDS:
        SIDS[user] = 'S-1-5-21-3623811015-3361044348-30300820-%d' % (1100 + len(SIDS))
    return SIDS[user]


def esc(v):
    return str(v).replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;')


class Log:
    """One host's channel: events collected, then numbered by time."""

    def __init__(self, computer, channel, provider, first_record):
        self.computer, self.channel, self.provider = computer, channel, provider
        self.next_record = first_record
        self.events = []

    def add(self, when, event_id, data=None, user_data=None, version=0, provider=None, skip_records=0):
        self.events.append(dict(when=t(when) if isinstance(when, str) else when, id=event_id, data=data,
                                user_data=user_data, version=version, provider=provider or self.provider,
                                skip=skip_records))

    def numbered(self):
        out = []
        for e in sorted(self.events, key=lambda e: e['when']):
            self.next_record += e['skip']
            out.append(dict(e, record=self.next_record))
            self.next_record += 1
        return out


def render(log, e, quote='"', newline_inside=True):
    q = quote
    prov_name, prov_guid = e['provider']
    nl = '\n' if newline_inside else ''
    when = e['when'].strftime('%Y-%m-%dT%H:%M:%S.') + '%07dZ' % ((e['record'] * 7919) % 10000000)
    parts = ["<Event xmlns=%shttp://schemas.microsoft.com/win/2004/08/events/event%s>" % (q, q), "<System>",
             "<Provider Name=%s%s%s Guid=%s%s%s/>" % (q, prov_name, q, q, prov_guid, q),
             "<EventID>%d</EventID>" % e['id'], "<Version>%d</Version>" % e['version'], "<Level>0</Level>",
             "<Task>12544</Task>", "<Opcode>0</Opcode>", "<Keywords>0x8020000000000000</Keywords>",
             "<TimeCreated SystemTime=%s%s%s/>" % (q, when, q),
             "<EventRecordID>%d</EventRecordID>" % e['record'],
             "<Correlation/>", "<Execution ProcessID=%s700%s ThreadID=%s812%s/>" % (q, q, q, q),
             "<Channel>%s</Channel>" % log.channel, "<Computer>%s</Computer>" % log.computer,
             "<Security/>", "</System>"]
    if e['data'] is not None:
        parts.append("<EventData>")
        for k, v in e['data']:
            if k is None:
                parts.append("<Data>%s</Data>" % esc(v))
            else:
                parts.append("<Data Name=%s%s%s>%s</Data>" % (q, k, q, esc(v)))
        parts.append("</EventData>")
    if e['user_data'] is not None:
        tag, fields = e['user_data']
        parts.append("<UserData><%s xmlns=%sEvent_NS%s>" % (tag, q, q))
        parts.extend("<%s>%s</%s>" % (k, esc(v), k) for k, v in fields)
        parts.append("</%s></UserData>" % tag)
    parts.append("</Event>")
    return nl.join(parts) if newline_inside else ''.join(parts)


# --- Security event shapes (fields as Windows 10/Server 2019 write them) -----------------------

def logon(log, when, user, logon_id, logon_type, linked=0, elevated='%%1843', ip='-', domain=DOMAIN, user_sid=None):
    log.add(when, 4624, version=2, data=[
        ('SubjectUserSid', 'S-1-5-18'), ('SubjectUserName', log.computer.split('.')[0].upper() + '$'),
        ('SubjectDomainName', DOMAIN), ('SubjectLogonId', '0x3e7'), ('TargetUserSid', user_sid or sid(user)),
        ('TargetUserName', user), ('TargetDomainName', domain), ('TargetLogonId', '0x%x' % logon_id),
        ('LogonType', str(logon_type)), ('LogonProcessName', 'User32 ' if logon_type in (2, 7, 10, 11) else 'Advapi  '),
        ('AuthenticationPackageName', 'Negotiate'), ('WorkstationName', log.computer.split('.')[0].upper()),
        ('LogonGuid', '{00000000-0000-0000-0000-000000000000}'), ('TransmittedServices', '-'),
        ('LmPackageName', '-'), ('KeyLength', '0'), ('ProcessId', '0x2f4'), ('ProcessName', r'C:\Windows\System32\svchost.exe'),
        ('IpAddress', ip), ('IpPort', '0' if ip == '-' else '51234'), ('ImpersonationLevel', '%%1833'),
        ('RestrictedAdminMode', '-'), ('TargetOutboundUserName', '-'), ('TargetOutboundDomainName', '-'),
        ('VirtualAccount', '%%1843'), ('TargetLinkedLogonId', '0x%x' % linked), ('ElevatedToken', elevated)])


def logoff(log, when, user, logon_id, logon_type):
    log.add(when, 4634, data=[('TargetUserSid', sid(user)), ('TargetUserName', user), ('TargetDomainName', DOMAIN),
                              ('TargetLogonId', '0x%x' % logon_id), ('LogonType', str(logon_type))])


def user_logoff(log, when, user, logon_id):
    log.add(when, 4647, data=[('TargetUserSid', sid(user)), ('TargetUserName', user), ('TargetDomainName', DOMAIN),
                              ('TargetLogonId', '0x%x' % logon_id)])


def lock(log, when, user, logon_id, event_id):
    log.add(when, event_id, data=[('TargetUserSid', sid(user)), ('TargetUserName', user), ('TargetDomainName', DOMAIN),
                                  ('TargetLogonId', '0x%x' % logon_id), ('SessionId', '1')])


def reconnect(log, when, user, logon_id, event_id, session='RDP-Tcp#3'):
    log.add(when, event_id, data=[('AccountName', user), ('AccountDomain', DOMAIN), ('LogonID', '0x%x' % logon_id),
                                  ('SessionName', session), ('ClientName', 'LAPTOP-77'), ('ClientAddress', '10.20.30.40')])


def special_privileges(log, when, user, logon_id):
    log.add(when, 4672, data=[('SubjectUserSid', sid(user)), ('SubjectUserName', user), ('SubjectDomainName', DOMAIN),
                              ('SubjectLogonId', '0x%x' % logon_id), ('PrivilegeList', 'SeSecurityPrivilege')])


def boot(sec, sysl, when, previous_dirty=False):
    """A boot: Security 4608 and System 6009 + 6005, with the machine accounts' logons that follow."""
    w = t(when)
    if sysl is not None:
        sysl.add(w, 6009, data=[(None, '10.00.'), (None, '19045'), (None, 'Multiprocessor Free'), (None, '0')],
                 provider=('EventLog', ''))
        sysl.add(w + dt.timedelta(seconds=1), 6005, data=[], provider=('EventLog', ''))
        if previous_dirty:
            sysl.add(w + dt.timedelta(seconds=2), 6008, data=[(None, '\u200e2:14:05 AM'), (None, '\u200e11/5/2026'),
                                                               (None, ''), (None, ''), (None, '4711'), (None, '')],
                     provider=('EventLog', ''))
            sysl.add(w + dt.timedelta(seconds=3), 41, data=[('BugcheckCode', '0'), ('PowerButtonTimestamp', '0')],
                     provider=('Microsoft-Windows-Kernel-Power', '{331c3b3a-2005-44c2-ac5e-77220c37d6b4}'))
    sec.add(w, 4608, data=[])
    logon(sec, w + dt.timedelta(seconds=4), 'SYSTEM', 0x3e7, 5, user_sid='S-1-5-18', domain='NT AUTHORITY')
    logon(sec, w + dt.timedelta(seconds=9), 'DWM-1', 0x7a10 + w.day, 2, user_sid='S-1-5-90-0-1', domain='Window Manager')
    logon(sec, w + dt.timedelta(seconds=9), 'UMFD-0', 0x7b10 + w.day, 2, user_sid='S-1-5-96-0-0', domain='Font Driver Host')


def shutdown(sec, sysl, when, user):
    w = t(when)
    sysl.add(w, 1074, data=[('param1', r'C:\Windows\System32\RuntimeBroker.exe (WS)'), ('param2', 'WS'),
                            ('param3', 'Other (Unplanned)'), ('param4', '0x0'), ('param5', 'power off'),
                            ('param6', ''), ('param7', DOMAIN + '\\' + user)],
             provider=('User32', '{b0aa8734-56f7-41cc-b2f4-de228e98b946}'))
    sec.add(w + dt.timedelta(seconds=20), 4609, data=[])
    sec.add(w + dt.timedelta(seconds=21), 1100, data=None, provider=('Microsoft-Windows-Eventlog', '{fc65ddd8-d6ef-4962-83d5-6e5cfe9ce148}'),
            user_data=('ServiceShutdown', []))
    sysl.add(w + dt.timedelta(seconds=22), 6006, data=[(None, '86400')], provider=('EventLog', ''))


def workday(sec, day, user, logon_id, start='08:55:00', end='17:10:00', linked=True):
    """An interactive console day: UAC split logon pair, privileges, and a clean logoff."""
    logon(sec, '%s %s' % (day, start), user, logon_id, 2, linked=logon_id + 1, elevated='%%1843')
    if linked:
        logon(sec, '%s %s' % (day, start), user, logon_id + 1, 2, linked=logon_id, elevated='%%1842')
        special_privileges(sec, '%s %s' % (day, start), user, logon_id + 1)
    user_logoff(sec, '%s %s' % (day, end), user, logon_id)
    logoff(sec, '%s %s' % (day, end), user, logon_id, 2)
    if linked:
        logoff(sec, '%s %s' % (day, end), user, logon_id + 1, 2)


def network_noise(sec, when, user, logon_id):
    logon(sec, when, user, logon_id, 3, ip='10.1.1.20')
    logoff(sec, (t(when) + dt.timedelta(seconds=2)).strftime('%Y-%m-%d %H:%M:%S'), user, logon_id, 3)


def hourly_noise(sec, first, last, user='svc_backup', base=0x90000):
    """Network logons every few hours keep the Security log ticking, as real ones do."""
    w = t(first)
    n = 0
    while w <= t(last):
        network_noise(sec, w.strftime('%Y-%m-%d %H:%M:%S'), user, base + n)
        w += dt.timedelta(hours=3, minutes=7)
        n += 1


# --- writers for the four export forms -----------------------------------------------------

def write_wevtutil(path, logs, encoding='utf-8', bom=False):
    text = ''.join(render(log, e) + '\n' for log in logs for e in log.numbered())
    save(path, text, encoding, bom)


def write_root(path, logs, encoding='utf-8', bom=False):
    text = '<root>\n' + ''.join(render(log, e) + '\n' for log in logs for e in log.numbered()) + '</root>\n'
    save(path, text, encoding, bom)


def write_event_viewer(path, logs, encoding='utf-8', bom=True):
    text = '<?xml version="1.0" encoding="UTF-8"?>\n<Events>' + ''.join(
        render(log, e, newline_inside=False) for log in logs for e in log.numbered()) + '</Events>\n'
    save(path, text, encoding, bom)


def write_powershell(path, logs, encoding='utf-16-le', bom=True):
    text = ''.join(render(log, e, quote="'", newline_inside=False) + '\r\n' for log in logs for e in log.numbered())
    save(path, text, encoding, bom)


def save(path, text, encoding, bom):
    data = encoded(text, encoding, bom)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'wb') as f:
        f.write(data)
    return data


def encoded(text, encoding, bom):
    data = text.encode(encoding)
    return ({'utf-8': b'\xef\xbb\xbf', 'utf-16-le': b'\xff\xfe', 'utf-16-be': b'\xfe\xff'}[encoding] if bom else b'') + data


# --- the case ------------------------------------------------------------------------------

def ws0101():
    """alice's workstation: console days, a lunch lock, a night-time charge, a weekend shutdown."""
    sec = Log('WS-0101.acme.example', 'Security', SEC_PROVIDER, 20001)
    sysl = Log('WS-0101.acme.example', 'System', ('EventLog', ''), 7001)
    boot(sec, sysl, '2026-11-01 23:00:00')
    hourly_noise(sec, '2026-11-02 00:30:00', '2026-11-06 17:00:00')
    workday(sec, '2026-11-02', 'alice', 0x1a2b00, '08:50:00', '17:30:00')
    lock(sec, '2026-11-02 12:00:00', 'alice', 0x1a2b00, 4800)
    logon(sec, '2026-11-02 12:45:00', 'alice', 0x1a2c00, 7)
    logoff(sec, '2026-11-02 12:45:02', 'alice', 0x1a2c00, 7)
    lock(sec, '2026-11-02 12:45:01', 'alice', 0x1a2b00, 4801)
    workday(sec, '2026-11-03', 'alice', 0x2b0000, '08:55:00', '17:10:00')
    workday(sec, '2026-11-04', 'alice', 0x2c0000, '09:00:00', '17:00:00')
    workday(sec, '2026-11-05', 'alice', 0x2d0000, '09:00:00', '17:00:00')
    workday(sec, '2026-11-06', 'alice', 0x2e0000, '09:00:00', '17:00:00')
    shutdown(sec, sysl, '2026-11-06 18:00:00', 'alice')
    boot(sec, sysl, '2026-11-09 07:00:00')
    network_noise(sec, '2026-11-09 08:00:00', 'svc_backup', 0x99000)
    write_wevtutil(os.path.join(HERE, 'events', 'ws-0101', 'security.xml'), [sec])
    write_event_viewer(os.path.join(HERE, 'events', 'ws-0101', 'system.xml'), [sysl])


def ws0102():
    """bob's workstation: the export starts mid-session (logon rolled out), a long lunch lock."""
    sec = Log('ws-0102.acme.example', 'Security', SEC_PROVIDER, 5001)
    hourly_noise(sec, '2026-11-02 10:00:00', '2026-11-07 12:00:00', base=0x91000)
    user_logoff(sec, '2026-11-02 17:00:00', 'bob', 0x3c00aa)
    logoff(sec, '2026-11-02 17:00:01', 'bob', 0x3c00aa, 2)
    workday(sec, '2026-11-03', 'bob', 0x3d0000, '08:30:00', '17:45:00')
    workday(sec, '2026-11-04', 'bob', 0x3e0000, '08:40:00', '17:30:00')
    lock(sec, '2026-11-04 12:00:00', 'bob', 0x3e0000, 4800)
    lock(sec, '2026-11-04 13:10:00', 'bob', 0x3e0000, 4801)
    workday(sec, '2026-11-05', 'bob', 0x3f0000, '08:30:00', '17:00:00')
    workday(sec, '2026-11-06', 'bob', 0x400000, '08:30:00', '17:00:00')
    write_event_viewer(os.path.join(HERE, 'events', 'ws-0102', 'Security.xml'), [sec])


def ts01():
    """The terminal server: RDP sessions of dave and erin, a disconnect, LSM and Security side by side."""
    sec = Log('TS-01.acme.example', 'Security', SEC_PROVIDER, 880001)
    lsm = Log('TS-01.acme.example', LSM_CHANNEL, LSM_PROVIDER, 3001)
    sysl = Log('TS-01.acme.example', 'System', ('EventLog', ''), 12001)
    boot(sec, sysl, '2026-11-01 23:30:00')
    hourly_noise(sec, '2026-11-02 00:10:00', '2026-11-07 23:00:00', base=0x92000)

    def lsm_event(when, event_id, user, session, address='10.20.30.40'):
        fields = [('User', DOMAIN + '\\' + user), ('SessionID', str(session))]
        if event_id in (21, 22, 25):
            fields.append(('Address', address))
        lsm.add(when, event_id, user_data=('EventXML', fields))

    # dave: RDP logon 08:00, disconnected 11:00-11:20, logs off 12:00.
    logon(sec, '2026-11-05 08:00:00', 'dsmith', 0x5a0001, 10, ip='10.20.30.40')
    lsm_event('2026-11-05 08:00:01', 21, 'dsmith', 2)
    lsm_event('2026-11-05 08:00:03', 22, 'dsmith', 2)
    reconnect(sec, '2026-11-05 11:00:00', 'dsmith', 0x5a0001, 4779)
    lsm_event('2026-11-05 11:00:00', 24, 'dsmith', 2)
    logon(sec, '2026-11-05 11:20:00', 'dsmith', 0x5a0002, 7, ip='10.20.30.40')
    reconnect(sec, '2026-11-05 11:20:01', 'dsmith', 0x5a0001, 4778)
    lsm_event('2026-11-05 11:20:01', 25, 'dsmith', 2)
    user_logoff(sec, '2026-11-05 12:00:00', 'dsmith', 0x5a0001)
    lsm_event('2026-11-05 12:00:01', 23, 'dsmith', 2)
    logoff(sec, '2026-11-05 12:00:02', 'dsmith', 0x5a0001, 10)
    # erin: RDP 10:00-16:00 in session 3.
    logon(sec, '2026-11-05 10:00:00', 'eroberts', 0x5b0001, 10, ip='10.20.30.41')
    lsm_event('2026-11-05 10:00:01', 21, 'eroberts', 3, '10.20.30.41')
    lsm_event('2026-11-05 10:00:04', 22, 'eroberts', 3, '10.20.30.41')
    user_logoff(sec, '2026-11-05 16:00:00', 'eroberts', 0x5b0001)
    lsm_event('2026-11-05 16:00:01', 23, 'eroberts', 3)
    logoff(sec, '2026-11-05 16:00:02', 'eroberts', 0x5b0001, 10)
    write_root(os.path.join(HERE, 'events', 'ts-01', 'Security.xml'), [sec])
    write_wevtutil(os.path.join(HERE, 'events', 'ts-01', 'LocalSessionManager.xml'), [lsm], 'utf-16-le', bom=True)
    write_event_viewer(os.path.join(HERE, 'events', 'ts-01', 'System.xml'), [sysl])


def ws0103():
    """carol's workstation (AutoCAD LT only): an evening session across midnight."""
    sec = Log('WS-0103', 'Security', SEC_PROVIDER, 4401)
    boot(sec, None, '2026-11-01 22:00:00')
    hourly_noise(sec, '2026-11-02 00:20:00', '2026-11-07 23:00:00', base=0x93000)
    workday(sec, '2026-11-02', 'carol', 0x600000, '09:00:00', '17:00:00')
    workday(sec, '2026-11-04', 'carol', 0x610000, '19:50:00', '23:59:59', linked=False)
    # The same session goes on past midnight: replace the day's logoff with one at 01:30 Thursday.
    sec.events = [e for e in sec.events if not (e['id'] in (4634, 4647) and e['when'] == t('2026-11-04 23:59:59'))]
    user_logoff(sec, '2026-11-05 01:30:00', 'carol', 0x610000)
    logoff(sec, '2026-11-05 01:30:00', 'carol', 0x610000, 2)
    write_powershell(os.path.join(HERE, 'events', 'ws-0103', 'security-powershell.xml'), [sec])


def ws0104():
    """heidi's workstation: the Security log has a hole on Friday night (records missing); zipped."""
    sec = Log('WS-0104.acme.example', 'Security', SEC_PROVIDER, 9001)
    boot(sec, None, '2026-11-01 21:00:00')
    hourly_noise(sec, '2026-11-02 00:15:00', '2026-11-07 23:00:00', base=0x94000)
    workday(sec, '2026-11-04', 'heidi', 0x700000, '09:30:00', '17:00:00')
    # A clock correction of 90 s (within the 5 min tolerance): no gap.
    sec.add('2026-11-03 06:00:00', 4616, data=[
        ('SubjectUserSid', 'S-1-5-19'), ('SubjectUserName', 'LOCAL SERVICE'), ('SubjectDomainName', 'NT AUTHORITY'),
        ('SubjectLogonId', '0x3e5'), ('PreviousTime', '2026-11-03T05:58:30.0000000Z'),
        ('NewTime', '2026-11-03T06:00:00.0000000Z'), ('ProcessId', '0x4c8'),
        ('ProcessName', r'C:\Windows\System32\svchost.exe')])
    # Records missing between Friday 00:52 and 07:06 (the noise events there are dropped below).
    numbered = sec.numbered()
    hole = (t('2026-11-06 01:00:00'), t('2026-11-06 06:00:00'))
    kept = [e for e in numbered if not (hole[0] <= e['when'] <= hole[1])]
    text = '<root>\n' + ''.join(render(sec, e) + '\n' for e in kept) + '</root>\n'
    data = encoded(text, 'utf-16-be', True)
    os.makedirs(os.path.join(HERE, 'events'), exist_ok=True)
    with zipfile.ZipFile(os.path.join(HERE, 'events', 'ws-0104-logs.zip'), 'w', zipfile.ZIP_DEFLATED) as z:
        info = zipfile.ZipInfo('ws-0104/Security.xml', date_time=(2026, 11, 9, 9, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(info, data)


def ws0105():
    """frank's workstation: a three-minute launch, and a service account's interactive batch logon."""
    sec = Log('WS-0105.acme.example', 'Security', SEC_PROVIDER, 15001)
    boot(sec, None, '2026-11-01 20:00:00')
    hourly_noise(sec, '2026-11-02 00:40:00', '2026-11-07 23:00:00', base=0x95000)
    workday(sec, '2026-11-03', 'frank', 0x800000, '09:00:00', '17:00:00')
    logon(sec, '2026-11-04 02:00:00', 'svc_render', 0x810000, 2)
    logoff(sec, '2026-11-04 03:30:00', 'svc_render', 0x810000, 2)
    text = ''.join(render(sec, e) + '\n' for e in sec.numbered())
    data = encoded(text, 'utf-8', False)
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode='w:gz', format=tarfile.USTAR_FORMAT) as tar:
        info = tarfile.TarInfo('ws-0105/Security.xml')
        info.size, info.mtime, info.mode = len(data), 1794214800, 0o644
        tar.addfile(info, io.BytesIO(data))
    raw = buf.getvalue()
    # gzip stores a timestamp in its header: fix it so the archive is byte-identical on every run.
    raw = raw[:4] + b'\x00\x00\x00\x00' + raw[8:]
    with open(os.path.join(HERE, 'events', 'ws-0105-logs.tar.gz'), 'wb') as f:
        f.write(raw)


METERING_HEADER = ['chargedItemID', 'userName', 'machineName', 'productLineCode', 'productName', 'productVersion',
                   'sessionStartDate', 'sessionEndDate', 'sessionDurationMinutes', 'tokensConsumed', 'usageCategory']

CHARGES = [
    # id, user, host, code, name, version, start, end, tokens, category
    ('LRT-1001', 'ACME\\alice', 'WS-0101', 'ACD', 'AutoCAD', '2025', '2026-11-02 09:05:00', '2026-11-02 16:40:00', '7.0', 'DESKTOP_PRODUCT'),
    ('LRT-1002', 'ACME\\alice', 'WS-0101', 'ACD', 'AutoCAD', '2025', '2026-11-03 02:14:00', '2026-11-03 06:20:00', '7.0', 'DESKTOP_PRODUCT'),
    ('LRT-1003', 'ACME\\alice', 'WS-0101', 'ACD', 'AutoCAD', '2025', '2026-11-03 09:10:00', '2026-11-03 16:55:00', '7.0', 'DESKTOP_PRODUCT'),
    ('LRT-1004', 'alice@acme.example', 'WS-0101.acme.example', 'ACD', 'AutoCAD', '2025', '2026-11-04 09:20:00', '2026-11-04 16:00:00', '7.0', 'DESKTOP_PRODUCT'),
    ('LRT-1005', 'ACME\\alice', 'WS-0101', 'ACD', 'AutoCAD', '2025', '2026-11-07 11:00:00', '2026-11-07 13:00:00', '7.0', 'DESKTOP_PRODUCT'),
    ('LRT-2001', 'ACME\\bob', 'WS-0102', 'RVT', 'Revit', '2025', '2026-11-02 11:00:00', '2026-11-02 16:30:00', '10.0', 'DESKTOP_PRODUCT'),
    ('LRT-2002', 'ACME\\bob', 'WS-0102', 'RVT', 'Revit', '2025', '2026-11-03 15:00:00', '2026-11-03 17:30:00', '10.0', 'DESKTOP_PRODUCT'),
    ('LRT-2003', 'ACME\\bob', 'WS-0102', 'RVT', 'Revit', '2025', '2026-11-04 12:30:00', '2026-11-04 13:00:00', '10.0', 'DESKTOP_PRODUCT'),
    ('LRT-2004', 'ACME\\bob', 'WS-0102', 'RVT', 'Revit', '2025', '2026-11-04 14:00:00', '2026-11-04 17:00:00', '10.0', 'DESKTOP_PRODUCT'),
    ('LRT-2005', 'ACME\\bob', 'WS-0102', 'RVT', 'Revit', '2025', '2026-11-06 09:00:00', '2026-11-06 16:00:00', '12.0', 'DESKTOP_PRODUCT'),
    ('LRT-3001', 'dave.smith@acme.example', 'TS-01', 'RVT', 'Revit', '2025', '2026-11-05 08:10:00', '2026-11-05 10:50:00', '10.0', 'DESKTOP_PRODUCT'),
    ('LRT-3002', 'dave.smith@acme.example', 'TS-01', 'RVT', 'Revit', '2025', '2026-11-05 11:10:00', '2026-11-05 11:18:00', '10.0', 'DESKTOP_PRODUCT'),
    ('LRT-3003', 'dave.smith@acme.example', 'TS-01', 'RVT', 'Revit', '2025', '2026-11-05 13:30:00', '2026-11-05 15:00:00', '10.0', 'DESKTOP_PRODUCT'),
    ('LRT-3101', 'erin.roberts@acme.example', 'TS-01', 'ACD', 'AutoCAD', '2025', '2026-11-05 10:05:00', '2026-11-05 15:30:00', '7.0', 'DESKTOP_PRODUCT'),
    ('LRT-4001', 'ACME\\carol', 'WS-0103', 'ACD', 'AutoCAD', '2025', '2026-11-04 20:05:00', '2026-11-04 23:59:00', '7.0', 'DESKTOP_PRODUCT'),
    ('LRT-4002', 'ACME\\carol', 'WS-0103', 'ACD', 'AutoCAD', '2025', '2026-11-05 00:00:30', '2026-11-05 01:20:00', '7.0', 'DESKTOP_PRODUCT'),
    ('LRT-5001', 'ACME\\heidi', 'WS-0104', 'ACD', 'AutoCAD', '2025', '2026-11-04 10:00:00', '2026-11-04 16:00:00', '7.0', 'DESKTOP_PRODUCT'),
    ('LRT-5002', 'ACME\\heidi', 'WS-0104', 'ACD', 'AutoCAD', '2025', '2026-11-06 03:00:00', '2026-11-06 04:00:00', '7.0', 'DESKTOP_PRODUCT'),
    ('LRT-6001', 'ACME\\frank', 'WS-0105', 'ACD', 'AutoCAD', '2025', '2026-11-03 10:00:00', '2026-11-03 10:03:00', '7.0', 'DESKTOP_PRODUCT'),
    ('LRT-6002', 'ACME\\frank', 'WS-0105', 'ACD', 'AutoCAD', '2025', '2026-11-03 13:00:00', '2026-11-03 15:00:00', '7.0', 'DESKTOP_PRODUCT'),
    ('LRT-6003', 'ACME\\frank', 'WS-0105', 'ACD', 'AutoCAD', '2025', '2026-11-04 02:05:00', '2026-11-04 03:00:00', '7.0', 'DESKTOP_PRODUCT'),
    ('LRT-7001', 'ACME\\alice', 'WS-0101', 'ACD', 'AutoCAD', '2025', '2026-11-05 09:30:00', '2026-11-05 09:32:00', '0.0', 'DESKTOP_PRODUCT'),
    ('LRT-7002', 'ACME\\bob', 'WS-0102', 'RVT', 'Revit', '2025', '2026-11-05 02:00:00', '2026-11-05 03:00:00', '4.0', 'CLOUD_SERVICE'),
    ('LRT-7003', 'ACME\\frank', 'WS-0105', 'ACD', 'AutoCAD', '2025', '2026-11-31 09:00:00', '2026-11-31 10:00:00', '7.0', 'DESKTOP_PRODUCT'),
    ('LRT-7004', 'ACME\\frank', 'WS-0105', 'ACD', 'AutoCAD', '2025', '2026-11-05 09:00:00', '2026-11-05 10:00:00', 'seven', 'DESKTOP_PRODUCT'),
]


def metering():
    def q(v):
        return '"%s"' % v.replace('"', '""')
    lines = [','.join(q(h) for h in METERING_HEADER) + ',']
    for (rid, user, host, code, name, version, start, end, tokens, category) in CHARGES:
        minutes = ''
        if not start.startswith('2026-11-31'):
            minutes = str(int((t(end) - t(start)).total_seconds() // 60))
        lines.append(','.join([q(rid), q(user), q(host), q(code), q(name), q(version), q(start), q(end), q(minutes),
                               q(tokens), q(category)]) + ',')
    save(os.path.join(HERE, 'metering.csv'), '\r\n'.join(lines) + '\r\n', 'utf-8', False)


def reference_files():
    save(os.path.join(HERE, 'identities.csv'), 'metering_user,windows_account\n'
         'dave.smith@acme.example,ACME\\dsmith\nerin.roberts@acme.example,ACME\\eroberts\n', 'utf-8', False)
    save(os.path.join(HERE, 'inventory.csv'),
         'Netbios_Name0,ARPDisplayName0,Version0,InstallDate0\n'
         'WS-0101,Autodesk AutoCAD 2025 - English,25.0.58.0,20250310\n'
         'WS-0101,Microsoft Office Professional Plus 2021,16.0.14332.20447,20240112\n'
         'WS-0102,Revit 2025,25.1.10.28,20250402\n'
         'TS-01,Revit 2025,25.1.10.28,20250402\n'
         'TS-01,Autodesk AutoCAD 2025 - English,25.0.58.0,20250310\n'
         'WS-0103,Autodesk AutoCAD LT 2025 - English,25.0.58.0,20250115\n'
         'WS-0104,Autodesk AutoCAD 2025 - English,25.0.58.0,20250310\n'
         'WS-0105,Autodesk AutoCAD 2026 - English,26.0.41.0,20260405\n'
         'WS-0105,7-Zip 23.01 (x64),23.01,20240301\n', 'utf-8', False)
    save(os.path.join(HERE, 'contract-rates.csv'), 'code,tokens_per_day,effective_from,effective_to,source\n'
         'ACD,7,2025-01-01,,Autodesk published Flex rate (AutoCAD 7 tokens/24h); Acme contract schedule B (sample)\n'
         'ACDLT,3,2025-01-01,,Acme contract schedule B line 4 (sample figure)\n'
         'RVT,10,2025-01-01,,Autodesk published Flex rate (Revit 10 tokens/24h); Acme contract schedule B (sample)\n'
         'RVTLT,3,2025-01-01,,Acme contract schedule B line 9 (sample figure)\n'
         'MAYA,6,2025-01-01,,Autodesk published Flex rate (Maya 6 tokens/24h)\n', 'utf-8', False)


if __name__ == '__main__':
    ws0101()
    ws0102()
    ts01()
    ws0103()
    ws0104()
    ws0105()
    metering()
    reference_files()
