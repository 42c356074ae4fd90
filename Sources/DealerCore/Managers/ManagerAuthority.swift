import Foundation

/// Authority in the sales department is granted by an admin only: a manager's sales role (the head
/// of sales may override accreditation decisions) and whether it is active. Managers may keep the
/// department's cards (names, e-mail) but never raise themselves or anyone else.
public enum ManagerAuthority {
    /// Creating a manager: any sales-staff key, but a head of sales only by an admin.
    public static func check(_ draft: ManagerDraft, by caller: Caller) throws(DomainError) {
        if draft.role == .head && caller.role != .admin {
            throw .forbidden(message: "only an admin appoints the head of sales")
        }
    }

    /// Changing a manager: a change of role or of `active` is an admin's.
    public static func check(before: Manager, after: Manager, by caller: Caller) throws(DomainError) {
        guard caller.role != .admin else { return }
        if after.role != before.role {
            throw .forbidden(message: "only an admin changes a manager's sales role")
        }
        if after.active != before.active {
            throw .forbidden(message: "only an admin activates or deactivates a manager")
        }
    }
}
