#!/usr/bin/perl
# sandboxd's reaper:
#
#   perl rusage-reaper.pl <getrusage syscall nr> <prctl syscall nr> -- <command...>
#
# runs the command as its only child and reports on fd 3, as one JSON line,
# its exit code and the resource usage of every process under it
# (getrusage(RUSAGE_CHILDREN)). It is a child subreaper: bwrap's outer process
# exits as soon as the command does, orphaning the sandbox's init, which then
# lands here and is reaped too -- so the usage of everything that ran in the
# sandbox accumulates in this process.
#
# Why perl: Node cannot read RUSAGE_CHILDREN, and the figure must come from
# outside the sandbox, where the sandboxed code cannot forge it. perl-base is
# an essential package on Debian/Ubuntu, so it is always there. No modules are
# loaded (they double perl's start-up time); sandboxd passes the syscall
# numbers of its architecture (0 = unknown: no usage is reported).
use strict;
use warnings;

my ($SYS_getrusage, $SYS_prctl, $separator, @command) = @ARGV;
die "usage: rusage-reaper.pl <getrusage nr> <prctl nr> -- <command...>\n" unless defined $separator && $separator eq '--' && @command;

my $RUSAGE_CHILDREN = -1;
my $PR_SET_PDEATHSIG = 1;
my $PR_SET_CHILD_SUBREAPER = 36;
my $SIGKILL = 9;
# Orphaned descendants that outlive the command (only possible without a pid namespace) are not waited for longer.
my $STRAGGLER_WAIT_SECONDS = 2;

open(my $report, '>&=', 3) or die "sandboxd reaper: fd 3 is not open: $!\n";

if ($SYS_prctl) {
    # If sandboxd dies, die too; bwrap's --die-with-parent then takes the sandbox down.
    syscall($SYS_prctl, $PR_SET_PDEATHSIG, $SIGKILL);
    syscall($SYS_prctl, $PR_SET_CHILD_SUBREAPER, 1);
}

my $pid = fork();
die "sandboxd reaper: fork failed: $!\n" unless defined $pid;
if ($pid == 0) {
    close($report);
    { no warnings 'exec'; exec { $command[0] } @command; }
    print STDERR "sandboxd reaper: cannot run $command[0]: $!\n";
    exit(127);
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
if ($SYS_getrusage) {
    my $buffer = "\0" x 144;    # struct rusage on 64-bit Linux
    if (syscall($SYS_getrusage, $RUSAGE_CHILDREN, $buffer) == 0) {
        my ($utime_s, $utime_us, $stime_s, $stime_us, $maxrss_kb) = unpack('q5', $buffer);
        $usage = sprintf('{"cpuUserMs":%.3f,"cpuSystemMs":%.3f,"maxRssKb":%d}',
            $utime_s * 1000 + $utime_us / 1000, $stime_s * 1000 + $stime_us / 1000, $maxrss_kb);
    }
}
syswrite($report, "{\"exitCode\":$exit,\"usage\":$usage}\n");
exit($exit > 255 ? 255 : $exit);
