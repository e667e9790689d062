namespace Contoso.Loyalty;

using Microsoft.Sales.Customer;

pageextension 50100 "Customer Card Loyalty" extends "Customer Card"
{
    layout
    {
        addafter(Name)
        {
            field(LoyaltyTierCode; Rec."Loyalty Tier Code")
            {
                ApplicationArea = All;
                ToolTip = 'Specifies the loyalty tier of the customer.';
            }
            field(LoyaltyPoints; Rec."Loyalty Points")
            {
                ApplicationArea = All;
                ToolTip = 'Specifies the loyalty points of the customer.';
            }
        }
    }

    actions
    {
        addlast(processing)
        {
            action(ShowTiers)
            {
                ApplicationArea = All;
                Caption = 'Loyalty Tiers';
                Image = List;
                ToolTip = 'Shows the loyalty tiers.';
                RunObject = page "Loyalty Tiers";
                RunPageLink = "Code" = field("Loyalty Tier Code");
            }
        }
    }
}
