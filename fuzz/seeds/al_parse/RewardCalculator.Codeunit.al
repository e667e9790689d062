namespace Contoso.Loyalty.Rewards;

using Contoso.Loyalty;
using Microsoft.Sales.Customer;

codeunit 50150 "Reward Calculator"
{
    procedure DiscountFor(var Customer: Record Customer): Decimal
    var
        LoyaltyReward: Record "Loyalty Reward";
        LoyaltyMgt: Codeunit "Loyalty Management";
    begin
        if LoyaltyMgt.GetLevel(Customer."No.") = Enum::"Loyalty Level"::Gold then
            exit(15);
        if LoyaltyReward.Get(Customer."Loyalty Tier Code") then
            exit(LoyaltyReward."Discount %");
        exit(0);
    end;

    [EventSubscriber(ObjectType::Table, Database::"Loyalty Tier", 'OnAfterDeleteEvent', '', false, false)]
    local procedure DeleteRewardOnAfterDeleteTier(var Rec: Record "Loyalty Tier")
    var
        LoyaltyReward: Record "Loyalty Reward";
    begin
        if LoyaltyReward.Get(Rec."Code") then
            LoyaltyReward.Delete();
    end;
}
