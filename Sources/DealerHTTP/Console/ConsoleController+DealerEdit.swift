import DealerCore
import DealerStore
import Foundation
import HTTPTypes
import Hummingbird

/// Editing a dealer's card from the console: the form posts to the same `updateDealer` as
/// `PATCH /v1/dealers/{id}`, as the person, and a refusal is shown next to its field.
extension ConsoleController {
    static let dealerEditors: Set<Role> = [.admin, .manager]
    static let editableFields = ["name", "legal_name", "tax_id", "kpp", "region", "city", "segment", "manager_id"]

    func dealerEditForm(_ session: ConsoleSession, context: APIContext) async throws -> Response {
        let dealer = try await visibleDealer(session, context: context)
        let values: [String: String] = [
            "name": dealer.name, "legal_name": dealer.legalName, "tax_id": dealer.taxID.value, "kpp": dealer.kpp ?? "",
            "region": dealer.region ?? "", "city": dealer.city ?? "", "segment": dealer.segment ?? "",
            "manager_id": dealer.managerID?.lowercased ?? "",
        ]
        return try await editPage(session, dealer: dealer, values: values, errors: [:], status: .ok)
    }

    func updateDealer(_ session: ConsoleSession, form: ConsoleForm, context: APIContext) async throws -> Response {
        let dealer = try await visibleDealer(session, context: context)
        var values: [String: String] = [:]
        for field in Self.editableFields { values[field] = form[field].trimmingCharacters(in: .whitespacesAndNewlines) }
        var patch = DealerPatch()
        func text(_ field: String) -> FieldUpdate<String> {
            let value = values[field] ?? ""
            return value.isEmpty ? .clear : .set(value)
        }
        patch.name = text("name")
        patch.legalName = text("legal_name")
        patch.taxID = text("tax_id")
        patch.kpp = text("kpp")
        patch.region = text("region")
        patch.city = text("city")
        patch.segment = text("segment")
        let manager = values["manager_id"] ?? ""
        if manager.isEmpty {
            patch.managerID = .clear
        } else if let id = UUID(uuidString: manager) {
            patch.managerID = .set(id)
        } else {
            return try await editPage(
                session, dealer: dealer, values: values, errors: ["manager_id": "Выберите менеджера из списка."], status: .unprocessableContent)
        }
        do {
            _ = try await store.updateDealer(id: dealer.id, patch, by: session.user.caller)
        } catch let error as ValidationError {
            var errors: [String: String] = [:]
            for issue in error.issues where errors[issue.field] == nil { errors[issue.field] = ConsoleFieldMessages.russian(issue.message) }
            return try await editPage(session, dealer: dealer, values: values, errors: errors, status: .unprocessableContent)
        } catch DomainError.conflict(let field, let message) {
            return try await editPage(
                session, dealer: dealer, values: values, errors: [field: ConsoleFieldMessages.russian(message)], status: .conflict)
        }
        return ConsolePages.redirect(to: "/dealers/\(dealer.id.lowercased)?done=saved")
    }

    func editPage(
        _ session: ConsoleSession, dealer: Dealer, values: [String: String], errors: [String: String], status: HTTPResponse.Status
    ) async throws -> Response {
        let labels = [
            "name": "Название", "legal_name": "Юридическое название", "tax_id": "ИНН", "kpp": "КПП", "region": "Регион", "city": "Город",
            "segment": "Сегмент",
        ]
        let fields: [[String: Any]] = ["name", "legal_name", "tax_id", "kpp", "region", "city", "segment"].map { field in
            var entry: [String: Any] = ["field": field, "label": labels[field] ?? field, "value": values[field] ?? ""]
            if let error = errors[field] { entry["error"] = error }
            return entry
        }
        let chosen = values["manager_id"] ?? ""
        let managers = try await store.allManagers().filter(\.active)
        var view: [String: Any] = [
            "dealer": ["id": dealer.id.lowercased, "name": dealer.name, "code": dealer.code],
            "fields": fields,
            "managers": [["value": "", "label": "не назначен", "selected": chosen.isEmpty] as [String: Any]]
                + managers.map { ["value": $0.id.lowercased, "label": $0.name, "selected": $0.id.lowercased == chosen] as [String: Any] },
            "any_errors": !errors.isEmpty,
        ]
        if let error = errors["manager_id"] { view["manager_error"] = error }
        let other = errors.filter { !Self.editableFields.contains($0.key) }.map(\.value)
        if !other.isEmpty { view["other_errors"] = other.map { ["text": $0] } }
        return pages.page("dealer-edit", title: "Изменить: \(dealer.name)", view: view, session: session, status: status)
    }

    /// The path's dealer when the person may see it; otherwise not found.
    func visibleDealer(_ session: ConsoleSession, context: APIContext) async throws -> Dealer {
        let text = context.parameters.get("id") ?? ""
        guard let id = UUID(uuidString: text),
            try await store.isVisible(dealerID: id, to: DealerVisibility.of(session.user.caller, scope: api.managerScope))
        else { throw DomainError.notFound(entity: "dealer", id: text) }
        return try await store.dealer(id: id)
    }
}
