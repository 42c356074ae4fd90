/// Why we write to a dealer's contact; notification rules address contacts by it.
public enum ContactPurpose: String, Sendable, Codable, CaseIterable {
    /// Бухгалтерия: payment reminders, reconciliation acts.
    case accounting
    /// Руководитель: escalations.
    case director
    /// Заказы: shipments and blocked orders.
    case orders
}
