#!/usr/bin/perl
# Runs INSIDE a sandbox that has an egress allow-list:
#
#   perl egress-forwarder.pl <unix socket> <port> -- <command...>
#
# Listens on 127.0.0.1:<port> in the sandbox's network namespace (which has
# nothing but loopback), relays every connection to sandboxd's egress proxy on
# the bind-mounted unix socket, starts the command once it is listening (so the
# command never races the listener) and exits with the command's status.
# It enforces nothing itself -- the proxy behind the socket does; killing it
# only cuts the sandbox off. Perl because perl-base is always there and, unlike
# node, starts in milliseconds under a 512 MB address-space limit.
use strict;
use warnings;
use IO::Select;
use IO::Socket::INET;
use IO::Socket::UNIX;
use POSIX ();
use Socket qw(SOCK_STREAM);

my ($socket_path, $port, $separator, @command) = @ARGV;
die "usage: egress-forwarder.pl <unix socket> <port> -- <command...>\n"
    unless defined $separator && $separator eq '--' && @command;

my $listener = IO::Socket::INET->new(LocalAddr => '127.0.0.1', LocalPort => $port, Listen => 128, ReuseAddr => 1)
    or die "sandboxd: the egress forwarder cannot listen on 127.0.0.1:$port: $!\n";

my $command_pid = fork() // die "sandboxd: fork failed: $!\n";
if ($command_pid == 0) {
    close($listener);
    { no warnings 'exec'; exec { $command[0] } @command; }
    print STDERR "sandboxd: cannot run $command[0]: $!\n";
    POSIX::_exit(127);
}

sub write_all {
    my ($to, $data) = @_;
    while (length $data) {
        my $written = syswrite($to, $data) // return 0;
        substr($data, 0, $written) = '';
    }
    return 1;
}

sub relay {
    my ($client) = @_;
    my $upstream = IO::Socket::UNIX->new(Type => SOCK_STREAM, Peer => $socket_path) or return;
    my $select = IO::Select->new($client, $upstream);
    while (my @ready = $select->can_read) {
        for my $from (@ready) {
            my $to = $from == $client ? $upstream : $client;
            my $read = sysread($from, my $buffer, 65536);
            return unless $read && write_all($to, $buffer);
        }
    }
}

# SIGCHLD interrupts the wait for connections, so the command's exit is noticed at once.
$SIG{CHLD} = sub { };
while (1) {
    while ((my $pid = waitpid(-1, POSIX::WNOHANG())) > 0) {
        next unless $pid == $command_pid;
        my $status = $?;
        exit(($status & 127) ? 128 + ($status & 127) : $status >> 8);
    }
    next unless IO::Select->new($listener)->can_read(0.2);
    my $client = $listener->accept or next;
    my $relay = fork();
    if (defined $relay && $relay == 0) {
        close($listener);
        relay($client);
        POSIX::_exit(0);
    }
    close($client);
}
