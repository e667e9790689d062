namespace Contoso.Loyalty;

using Microsoft.Sales.Customer;

report 50100 "Loyalty Points Statement"
{
    Caption = 'Loyalty Points Statement';
    UsageCategory = ReportsAndAnalysis;
    ApplicationArea = All;
    DefaultRenderingLayout = Statement;

    dataset
    {
        dataitem(Customer; Customer)
        {
            RequestFilterFields = "No.", "Loyalty Tier Code";
            column(No; "No.")
            {
            }
            column(Name; Name)
            {
            }
            column(LoyaltyPoints; "Loyalty Points")
            {
            }
            dataitem(LoyaltyTier; "Loyalty Tier")
            {
                DataItemLink = "Code" = field("Loyalty Tier Code");
                column(TierDescription; Description)
                {
                }
            }
        }
    }

    rendering
    {
        layout(Statement)
        {
            Type = RDLC;
            LayoutFile = 'src/Reports/LoyaltyPointsStatement.rdlc';
        }
    }
}
