import DealerCore
import DealerStore
import Foundation

/// The one place a job is added: every job dealerd knows, in the order `jobs list` shows them.
public enum JobRegistry {
    public static func jobs(
        retention: RetentionSettings, testMode: Bool, probeDuration: TimeInterval = 0.3,
        companyTimeZone: TimeZone = CivilDate.defaultCompanyTimeZone, breachReminder: TimeInterval? = nil,
        accreditationExpiry: AccreditationExpirySettings = AccreditationExpirySettings(), rhythm: RhythmSettings = RhythmSettings(),
        plans: PlanBehindSettings = PlanBehindSettings(), currency: Currency = .rub,
        acts: ActSettings = ActSettings(company: ActParty(name: "ООО «Производитель»", inn: "", kpp: nil)), quarterlyActs: Bool = false,
        kpiSchemes: KPISchemeBook = KPISchemeBook(), digests: DigestSettings = DigestSettings(),
        notificationRouting: NotificationRoutingBook = NotificationRoutingBook(), dunning: DunningSettings = DunningSettings(),
        credit: CreditDefaults = CreditDefaults(), deals: DealSettings = DealSettings()
    ) -> [any Job] {
        var jobs: [any Job] = [
            HousekeepingJob(retention: retention), CreditScanJob(companyTimeZone: companyTimeZone, breachReminder: breachReminder),
            AccreditationExpiryJob(companyTimeZone: companyTimeZone, settings: accreditationExpiry),
            RhythmCheckJob(companyTimeZone: companyTimeZone, settings: rhythm, plans: plans, currency: currency),
            ReconciliationActsJob(companyTimeZone: companyTimeZone, settings: acts, quarterly: quarterlyActs),
            ActRemindersJob(companyTimeZone: companyTimeZone, deadlines: acts.deadlines),
            KPICloseJob(companyTimeZone: companyTimeZone, schemes: kpiSchemes, deadlines: acts.deadlines),
            DigestJob(kind: .morning, companyTimeZone: companyTimeZone, settings: digests, routing: notificationRouting),
            DigestJob(kind: .weekly, companyTimeZone: companyTimeZone, settings: digests, routing: notificationRouting),
            DunningJob(companyTimeZone: companyTimeZone, settings: dunning, credit: credit),
            DealStallJob(companyTimeZone: companyTimeZone, settings: deals),
        ]
        if testMode { jobs.append(ProbeJob(duration: probeDuration)) }
        return jobs
    }
}

/// How long history is kept before housekeeping removes it.
public struct RetentionSettings: Sendable, Equatable {
    public var jobRunsDays: Int
    public var eventsDays: Int
    /// Delivered, exhausted and failed webhook deliveries, with their attempts.
    public var webhookDeliveriesDays: Int

    public init(jobRunsDays: Int = 90, eventsDays: Int = 90, webhookDeliveriesDays: Int = 30) {
        self.jobRunsDays = jobRunsDays
        self.eventsDays = eventsDays
        self.webhookDeliveriesDays = webhookDeliveriesDays
    }
}
