import DealerCore
import Foundation

/// Real, publicly listed INNs with correct check digits.
public enum KnownINN {
    public static let organisations = ["7707083893", "7736050003", "7702070139", "7728168971", "7710140679", "7830002293", "6663003127"]
    public static let individual = "500100732259"
}

extension DealerDraft {
    /// A valid dealer for tests; override what the test is about.
    public static func sample(
        code: String = "D-001", name: String = "Альфа Моторс", taxID: String = KnownINN.organisations[0],
        region: String? = "Москва", segment: String? = "cars", managerID: UUID? = nil
    ) -> DealerDraft {
        DealerDraft(
            code: code, name: name, legalName: "ООО «\(name)»", taxID: taxID, kpp: nil, region: region, city: nil,
            segment: segment, managerID: managerID,
            contacts: [Contact(name: "Пётр Сидоров", position: "директор", email: "petr@example.ru", phone: "+7 495 123-45-67")],
            attributes: ["showroom_area_m2": .number(180), "own_warehouse": .bool(true), "legal_form": .string("ООО")])
    }
}

public let testActor = Caller(name: "test-admin", role: .admin)
