import Foundation

/// Every migration dealerd has released, in order. Add new ones at the end.
enum Migrations {
    static let all: [any Migration] = [
        CreateManagers(),
        CreateDealers(),
        CreateAPIKeys(),
        CreateAuditLog(),
        CreateEvents(),
        CreateJobRuns(),
        AddDealerSequenceToEvents(),
        AddSortKeyToDealers(),
        CreateWebhooks(),
        CreateReceivables(),
        AddDealerToAPIKeys(),
        CreateSegmentCreditPolicies(),
        IndexDebtsInAllocationOrder(),
        CreateDealerDocuments(),
        CreateAccreditations(),
        CreateRhythmAndPlans(),
        CreateReconciliationActs(),
        AddServiceSpecialistToDealers(),
        CreateKPITargets(),
        CreateScorecardClosings(),
        CreateNotifications(),
        CreateTelegramLinks(),
        CreateConsoleAccounts(),
        CreateActAnswerLinks(),
        CreateDunning(),
        CreateContactTelegramChats(),
        CreateKPIValues(),
        CreateDeals(),
    ]

    static var latestVersion: Int { all.map(\.version).max() ?? 0 }
}
