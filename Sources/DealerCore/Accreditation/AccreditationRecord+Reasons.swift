import Foundation

extension AccreditationRecord {
    /// Why a decision moved the dealer's status, as the card and the API's `status_reason` show it.
    public static func statusReason(_ decision: AccreditationEvaluation.Decision, profile: String, version: String) -> String {
        let under = "по профилю «\(profile)» версии \(version)"
        switch decision {
        case .accredited: return "Аккредитован " + under
        case .rejected: return "Отказ в аккредитации " + under
        case .needsReview: return "Аккредитация " + under + " ждёт решения человека"
        }
    }

    /// Why expiry suspended a dealer: the accreditation's last valid day passed.
    public static func expiryReason(profile: String, version: String, validUntil: CivilDate) -> String {
        "Истёк срок аккредитации по профилю «\(profile)» версии \(version): действовала по \(validUntil.russian)"
    }
}
