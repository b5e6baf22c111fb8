/// How the console signs people in and keeps them signed in.
public struct ConsoleConfiguration: Sendable {
    /// A session unused this long ends (seconds; `serve --console-idle-minutes`).
    public var sessionIdleSeconds: Int64 = 30 * 60
    /// Failed sign-ins from one address within ``lockoutSeconds`` that lock it.
    public var lockoutFailures = 5
    /// How long failures count, and so how long a locked address stays locked after its last
    /// counted failure ages out (seconds).
    public var lockoutSeconds: Int64 = 15 * 60
    /// Peers (IP addresses, such as the nginx in front) whose `X-Forwarded-For` and
    /// `X-Forwarded-Proto` are believed. Empty: the TCP peer is the address, and the connection
    /// (plain HTTP) decides `Secure`.
    public var trustedProxies: Set<String> = []
    /// bcrypt cost of new passwords (12: about 0.25 s on one core; tests lower it).
    public var bcryptCost: UInt8 = 12
    /// A session's last-use time is written at most this often (milliseconds); idle expiry is
    /// exact to within this.
    public var touchIntervalMillis: Int64 = 30_000

    public init() {}
}
