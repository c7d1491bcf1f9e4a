#!/usr/bin/env python3
import subprocess, re, json, collections, os, csv, email
"""Rebuilds this corpus from local clones of sisimai/set-of-emails (S) and sisimai/p5-sisimai (P).
Step 1 reads the expected status/reason per message from p5-sisimai t/*.t; step 2 reads the recipients from
each message's own message/delivery-status fields or X-Failed-Recipients header; step 3 selects (first four
structured bounces per MTA, the hand-read text-only bounces of text-recipients.txt, RFC 3834 auto-replies, ARF
reports, not-bounces) and writes the .eml files and expectations.csv. Usage: S=... P=... python3 make-corpus.py"""
import os; os.chdir(os.path.dirname(os.path.abspath(__file__)))
S=os.environ['S']; P=os.environ['P']
def gitd(d,*a): return subprocess.run(['git','--git-dir='+d,*a],capture_output=True).stdout
tfiles=[l for l in gitd(P,'ls-tree','-r','HEAD','--name-only','t').decode().split('\n') if re.match(r't/\d+-(lhost|rhost)-.*\.t$|t/89\d-',l)]
exp={}
for t in tfiles:
    src=gitd(P,'show','HEAD:'+t).decode('utf-8','replace')
    m=re.search(r"enginename\s*=\s*'([^']+)'",src)
    if not m: continue
    eng=m.group(1)
    pre = eng.lower() if eng in('ARF','RFC3464','RFC3834') else ('rhost-' if '-rhost-' in t else 'lhost-')+eng.lower()
    block=src[src.index('isexpected'):]
    block=block[:block.index('};')]
    for k,body in re.findall(r"'(\d+)'\s*=>\s*\[(.*?)\]\s*\]\s*,",block,re.S):
        rows=re.findall(r"\[\s*'([^']*)',\s*'([^']*)',\s*'([^']*)',\s*(\d)",body+"]")
        exp[f'{pre}-{k}']=rows

print(len(exp))
from email import policy

def git(*a): return subprocess.run(['git','--git-dir='+S,*a],capture_output=True).stdout

names=set(l for l in git('ls-tree','-r','HEAD','--name-only','maildir/bsd').decode().split('\n') if l)
ADDR=re.compile(r'[A-Za-z0-9._%+\-=/]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}')
def structured(raw):
    m=email.message_from_bytes(raw)
    rec=[]
    for part in m.walk():
        if part.get_content_type()=='message/delivery-status':
            for blk in part.get_payload() if part.is_multipart() else []:
                fr=blk.get('Final-Recipient') or blk.get('Original-Recipient')
                if fr:
                    a=ADDR.search(fr)
                    if a: rec.append((a.group(0).lower(), (blk.get('Action') or '').strip().lower(), (blk.get('Status') or '').strip()))
            if not rec:
                txt=part.get_payload(decode=True) if not part.is_multipart() else None
                if txt:
                    for fr in re.findall(r'^Final-Recipient:\s*(.*)$',txt.decode('latin1'),re.M|re.I):
                        a=ADDR.search(fr)
                        if a: rec.append((a.group(0).lower(),'',''))
    if rec: return 'dsn',rec
    xf=m.get_all('X-Failed-Recipients')
    if xf: return 'xfailed',[(a.lower(),'','') for x in xf for a in ADDR.findall(x)]
    return None,[]
out=[]
per=collections.Counter()
for k,rows in sorted(exp.items()):
    f=f'maildir/bsd/{k}.eml'
    if f not in names: continue
    reasons={r[2] for r in rows}
    pre=re.sub(r'-\d+$','',k)
    raw=git('show','HEAD:'+f)
    how,rec=structured(raw)
    out.append(dict(key=k,prefix=pre,rows=rows,how=how,rec=rec,size=len(raw)))
derived=out
c=collections.Counter((o['how'], len(set(r[0] for r in o['rec']))==len(o['rows'])) for o in out)
print(c)

OUT='.'
os.makedirs(OUT,exist_ok=True)
d={o['key']:o for o in derived}

bad={'feedback','vacation','delivered','onhold','undefined'}
manual={l.split()[0]:l.split()[1].split(';') for l in open('text-recipients.txt') if l.strip()}
rows=[]; per=collections.Counter()
def status_in(raw,st): return bool(st) and re.search(r'(?<![\d.])'+re.escape(st)+r'(?![\d.])',raw) is not None
for k,o in sorted(d.items()):
    reasons={r[2] for r in o['rows']}
    if reasons&bad: continue
    if k in manual:
        rec=manual[k]; how='text'
    elif o['how'] and len(set(r[0] for r in o['rec']))==len(o['rows']) and per[o["prefix"]]<4:
        per[o['prefix']]+=1
        rec=list(dict.fromkeys(r[0] for r in o['rec'])); how=o['how']
    else: continue
    raw=git('show',f'HEAD:maildir/bsd/{k}.eml')
    txt=raw.decode('utf-8','replace')
    statuses=sorted({r[0] for r in o['rows'] if r[0]})
    inmsg=[s for s in statuses if status_in(txt,s)]
    dsnact={r[1] for r in o['rec'] if r[1]}
    if dsnact: action='delayed' if dsnact<= {'delayed'} else 'failed'
    else: action='delayed' if all(s.startswith('4') for s in statuses) and statuses else 'failed'
    rows.append(dict(file=k+'.eml',**{'class':'bounce'},recipients=';'.join(rec),action=action,status=';'.join(inmsg),
        source=f'sisimai/set-of-emails maildir/bsd/{k}.eml', expected_from=f'{how}; status from p5-sisimai t/ ({";".join(statuses)})'))
    open(f'{OUT}/{k}.eml','wb').write(raw)
extra=[(f'rfc3834-0{i}','auto-reply') for i in range(1,6)]+[(f'arf-{i:02d}','complaint') for i in (1,2,11,12,14,15,18)]
for k,cls in extra:
    raw=git('show',f'HEAD:maildir/bsd/{k}.eml'); open(f'{OUT}/{k}.eml','wb').write(raw)
    rows.append(dict(file=k+'.eml',**{'class':cls},recipients='',action='',status='',source=f'sisimai/set-of-emails maildir/bsd/{k}.eml',expected_from='p5-sisimai t/ reason '+('vacation' if cls=='auto-reply' else 'feedback')))
for k in ('is-not-bounce-01','is-not-bounce-02'):
    raw=git('show',f'HEAD:maildir/not/{k}.eml'); open(f'{OUT}/{k}.eml','wb').write(raw)
    rows.append(dict(file=k+'.eml',**{'class':'not-bounce'},recipients='',action='',status='',source=f'sisimai/set-of-emails maildir/not/{k}.eml',expected_from='folder not/ (is not a bounce mail)'))
with open(f'{OUT}/expectations.csv','w',newline='') as f:
    w=csv.DictWriter(f,fieldnames=list(rows[0].keys())); w.writeheader(); w.writerows(rows)
c=collections.Counter(r['class'] for r in rows); print(c, len(rows))
print('prefixes',len({re.sub(r'-\d+\.eml$','',r['file']) for r in rows if r['class']=='bounce'}))
print('with status',sum(1 for r in rows if r['status']))
