#if canImport(Glibc)
import Glibc
#endif

/// A server holds a descriptor per connection: the usual soft limit of 1024 open files would cap
/// dealerd far below `http.max_connections`, so at start it raises the soft limit to the hard one
/// (which needs no privilege). Returns the limit now in force.
enum OpenFilesLimit {
    @discardableResult
    static func raiseToHardLimit() -> UInt64 {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 0 }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { return UInt64(raised.rlim_cur) }
        }
        return UInt64(limit.rlim_cur)
    }
}
