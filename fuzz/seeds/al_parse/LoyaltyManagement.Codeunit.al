namespace Contoso.Loyalty;

using Microsoft.Sales.Customer;
using Microsoft.Sales.Document;
using Microsoft.Sales.Posting;

codeunit 50100 "Loyalty Management"
{
    Permissions = tabledata "Loyalty Tier" = r,
                  tabledata Customer = rm;

    /// <summary>
    /// Returns the code of the highest tier whose minimum is reached by the given points.
    /// </summary>
    /// <param name="Points">The customer's loyalty points.</param>
    procedure FindTier(Points: Integer): Code[20]
    var
        LoyaltyTier: Record "Loyalty Tier";
    begin
        LoyaltyTier.SetCurrentKey("Minimum Points");
        LoyaltyTier.SetFilter("Minimum Points", '<=%1', Points);
        if LoyaltyTier.FindLast() then
            exit(LoyaltyTier."Code");
        exit('');
    end;

    procedure RecalculateAll()
    var
        Customer: Record Customer;
    begin
        if Customer.FindSet(true) then
            repeat
                Customer.Validate("Loyalty Points");
                Customer.Modify(true);
            until Customer.Next() = 0;
    end;

    procedure GetLevel(CustomerNo: Code[20]) Level: Enum "Loyalty Level"
    var
        Customer: Record Customer;
        LoyaltyTier: Record "Loyalty Tier";
    begin
        Level := Enum::"Loyalty Level"::Bronze;
        if not Customer.Get(CustomerNo) then
            exit;
        if LoyaltyTier.Get(Customer."Loyalty Tier Code") then
            Level := LoyaltyTier.Level;
    end;

    [EventSubscriber(ObjectType::Codeunit, Codeunit::"Sales-Post", 'OnAfterPostSalesDoc', '', false, false)]
    local procedure AddPointsOnAfterPostSalesDoc(var SalesHeader: Record "Sales Header"; SalesInvHdrNo: Code[20])
    var
        Customer: Record Customer;
    begin
        if SalesInvHdrNo = '' then
            exit;
        if not Customer.Get(SalesHeader."Sell-to Customer No.") then
            exit;
        Customer.Validate("Loyalty Points", Customer."Loyalty Points" + 10);
        Customer.Modify(true);
    end;

    [EventSubscriber(ObjectType::Table, Database::Customer, 'OnAfterValidateEvent', 'Loyalty Points', false, false)]
    local procedure CheckPointsOnAfterValidate(var Rec: Record Customer)
    begin
        if Rec."Loyalty Points" < 0 then
            Rec.FieldError("Loyalty Points");
    end;

    procedure OpenTiers()
    begin
        Page.Run(Page::"Loyalty Tiers");
    end;

    procedure PrintStatement(var Customer: Record Customer)
    begin
        Report.Run(50100, true, false, Customer);
    end;
}
