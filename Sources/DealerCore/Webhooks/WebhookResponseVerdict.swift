import Foundation

/// What one attempt's answer means for the delivery and its endpoint.
public enum WebhookResponseVerdict: Sendable, Equatable {
    /// 2xx.
    case delivered
    /// Anything else worth retrying, with the receiver's Retry-After (429 and 503 only).
    case retry(retryAfter: TimeInterval?)
    /// 410 Gone: the receiver says this endpoint no longer exists; it is disabled at once.
    case gone

    /// Classifies an HTTP answer. Redirects are failures: following them would send signed events to
    /// a URL nobody subscribed.
    public static func of(statusCode: Int, retryAfter: String?, now: Date) -> WebhookResponseVerdict {
        switch statusCode {
        case 200..<300: return .delivered
        case 410: return .gone
        case 429, 503: return .retry(retryAfter: retryAfter.flatMap { parseRetryAfter($0, now: now) })
        default: return .retry(retryAfter: nil)
        }
    }

    /// Retry-After is either seconds or an HTTP date (RFC 9110 §10.2.3).
    static func parseRetryAfter(_ text: String, now: Date) -> TimeInterval? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let seconds = Int(trimmed) { return seconds >= 0 ? TimeInterval(seconds) : nil }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: trimmed) else { return nil }
        return max(0, date.timeIntervalSince(now))
    }
}
