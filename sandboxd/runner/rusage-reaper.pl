#!/usr/bin/perl
# sandboxd's reaper: runs ARGV as its only child and reports on fd 3, as one
# JSON line, its exit code and the resource usage of every process under it (getrusage(RUSAGE_CHILDREN): bwrap waits for all of
# its descendants, so their CPU time and peak RSS accumulate here).
#
# Why perl: Node cannot read RUSAGE_CHILDREN, and the figure must come from
# outside the sandbox, where the sandboxed code cannot forge it. perl-base is
# an essential package on Debian/Ubuntu, so it is always there.
use strict;
use warnings;
use IO::Handle;
use POSIX ();

my %SYSCALLS = (
    x86_64  => { getrusage => 98,  prctl => 157 },
    aarch64 => { getrusage => 165, prctl => 167 },
);
my $sys = $SYSCALLS{ (POSIX::uname())[4] };
my $RUSAGE_CHILDREN = -1;
my $PR_SET_PDEATHSIG = 1;
my $PR_SET_CHILD_SUBREAPER = 36;
# Orphaned descendants that outlive the command (only possible without a pid namespace) are not waited for longer.
my $STRAGGLER_WAIT_SECONDS = 2;

open(my $report, '>&=', 3) or die "sandboxd reaper: fd 3 is not open: $!\n";
$report->autoflush(1);

# If sandboxd dies, die too; bwrap's --die-with-parent then takes the sandbox down.
if ($sys) {
    syscall($sys->{prctl}, $PR_SET_PDEATHSIG, 9);
    syscall($sys->{prctl}, $PR_SET_CHILD_SUBREAPER, 1);
}

my $pid = fork();
die "sandboxd reaper: fork failed: $!\n" unless defined $pid;
if ($pid == 0) {
    close($report);
    { no warnings 'exec'; exec { $ARGV[0] } @ARGV; }
    print STDERR "sandboxd reaper: cannot run $ARGV[0]: $!\n";
    POSIX::_exit(127);
}
# sandboxd's wall-clock timeout: kill the sandbox (not this reaper) so the usage is still reported.
$SIG{TERM} = sub { kill 'KILL', $pid };

waitpid($pid, 0);
my $status = $?;
my $exit = ($status & 127) ? 128 + ($status & 127) : ($status >> 8);

# Reap the descendants reparented to us (the sandbox's init among them) so their usage counts.
eval {
    local $SIG{ALRM} = sub { die "stragglers\n" };
    alarm($STRAGGLER_WAIT_SECONDS);
    1 while waitpid(-1, 0) > 0;
    alarm(0);
};

my $usage = 'null';
if ($sys) {
    my $buf = "\0" x 144;    # struct rusage on 64-bit Linux
    if (syscall($sys->{getrusage}, $RUSAGE_CHILDREN, $buf) == 0) {
        my ($utime_s, $utime_us, $stime_s, $stime_us, $maxrss_kb) = unpack('q5', $buf);
        $usage = sprintf('{"cpuUserMs":%.3f,"cpuSystemMs":%.3f,"maxRssKb":%d}',
            $utime_s * 1000 + $utime_us / 1000, $stime_s * 1000 + $stime_us / 1000, $maxrss_kb);
    }
}
print $report "{\"exitCode\":$exit,\"usage\":$usage}\n";
exit($exit > 255 ? 255 : $exit);
