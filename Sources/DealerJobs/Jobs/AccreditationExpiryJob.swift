import DealerCore
import DealerStore
import Foundation
import Logging

/// Accreditations last a profile's validity period, and the documents they stood on expire on their
/// own dates: every morning reminders go out at the configured days before (`accreditation.expiring`,
/// once per threshold) and, at expiry, `accreditation.expired` — suspending the dealer when config
/// says so. Idempotent: a second run on the same day finds everything already sent.
struct AccreditationExpiryJob: Job {
    let companyTimeZone: TimeZone
    let settings: AccreditationExpirySettings
    let name = "accreditation-expiry"
    let summary = "Reminds of accreditations and required documents about to expire; suspends or alerts at expiry."
    let defaults = JobDefaults(schedule: "0 7 * * *", catchUp: .once, timeout: 600)

    func run(_ context: JobContext) async throws {
        let today = CivilDate(context.asOf, in: companyTimeZone)
        let result = try await context.store.watchAccreditationExpiry(today: today, settings: settings)
        await context.progress(done: result.dealers, total: result.dealers)
        context.logger.info(
            "accreditation expiry watched",
            metadata: [
                "as_of": .string(today.iso), "dealers": "\(result.dealers)", "reminders": "\(result.reminders)",
                "expiries": "\(result.expiries)", "suspended": "\(result.suspended)",
            ])
    }
}
