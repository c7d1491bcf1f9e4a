#!/usr/bin/perl
# Greylisting policy service of the Notifier lab, spoken to by the "greylist" Postfix instance through
# check_policy_service (Postfix SMTP access policy delegation, https://www.postfix.org/SMTPD_POLICY_README.html:
# a request is "name=value" lines ended by an empty line, the answer one "action=..." line and an empty line;
# one connection carries many requests).
#
# Like postgrey, but in memory and with a delay of seconds: the first time a (client address, sender, recipient)
# triple is seen, and for DELAY_SECONDS after that, the answer is "450 4.2.0 Greylisted"; later ones "dunno"
# (no opinion: Postfix's other restrictions decide). Written by hand because the lab must not depend on a
# greylisting package and its database; perl-base is on every Debian system.
#
#   greylist-policy.pl PORT DELAY_SECONDS LAB_DIR
#
# Binds 127.0.0.1:PORT only and exits non-zero when it cannot (the port is taken). LAB_DIR only identifies the
# process for lab.sh stop. Each decision is printed to stdout (lab.sh sends it to LAB_DIR/greylist/policy.log).
use strict;
use warnings;
use IO::Socket::INET;
use IO::Select;
use POSIX ();

my ($port, $delay, $lab_dir) = @ARGV;
die "usage: $0 PORT DELAY_SECONDS LAB_DIR\n"
  unless defined $lab_dir && $port =~ /^\d+$/ && $delay =~ /^\d+$/;

# No ReuseAddr: a port someone else listens on must make the lab fail, not be shared.
my $listener = IO::Socket::INET->new(LocalAddr => '127.0.0.1', LocalPort => $port, Proto => 'tcp', Listen => 64)
  or die "greylist-policy: cannot listen on 127.0.0.1:$port: $!\n";
# Its own session: a Ctrl-C meant for whoever started the lab does not stop it (lab.sh stop does).
POSIX::setsid();
$SIG{TERM} = $SIG{INT} = sub { exit 0 };
$| = 1;
print "listening on 127.0.0.1:$port, greylisting new triples for $delay s\n";

my $select = IO::Select->new($listener);
my (%pending, %first_seen);
while (1) {
  for my $fh ($select->can_read) {
    if ($fh == $listener) {
      my $client = $listener->accept or next;
      $select->add($client);
      $pending{$client} = '';
      next;
    }
    my $n = sysread($fh, my $chunk, 4096);
    if (!$n) {
      $select->remove($fh);
      delete $pending{$fh};
      close $fh;
      next;
    }
    $pending{$fh} .= $chunk;
    while ($pending{$fh} =~ s/\A(.*?)\n\n//s) {
      my %attr = map { /\A([^=]+)=(.*)\z/ ? ($1, $2) : () } split /\n/, $1;
      my $triple = join ' ', map { lc($attr{$_} // '') } qw(client_address sender recipient);
      my $now = time;
      $first_seen{$triple} //= $now;
      my $action = $now - $first_seen{$triple} >= $delay ? 'dunno' : '450 4.2.0 Greylisted';
      print "$now $triple: $action\n";
      syswrite($fh, "action=$action\n\n");
    }
  }
}
